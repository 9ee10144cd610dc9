-- wrk script for the fault drill: rotates through the paths given after "--" and counts responses
-- per second by outcome, so the drill can see when errors started and stopped. Every other request
-- carries a query string of its own, so half the load misses the page cache and needs the database.
-- Output: one line "TIMELINE <second> <ok> <failed>" per second, after wrk's own summary.

local paths = {}
local counter = 0
-- Flat tables of numbers: wrk copies these between threads (nested tables crash it).
ok_per_second = {}
failed_per_second = {}

function init(args)
  for _, path in ipairs(args) do
    table.insert(paths, path)
  end
  if #paths == 0 then
    table.insert(paths, "/")
  end
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  if counter % 2 == 0 then
    path = path .. "?drill=" .. id .. "-" .. counter
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  local second = os.time()
  if status < 400 then
    ok_per_second[second] = (ok_per_second[second] or 0) + 1
  else
    failed_per_second[second] = (failed_per_second[second] or 0) + 1
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("ok_per_second")) do
      total[second] = total[second] or { 0, 0 }
      total[second][1] = total[second][1] + count
    end
    for second, count in pairs(thread:get("failed_per_second")) do
      total[second] = total[second] or { 0, 0 }
      total[second][2] = total[second][2] + count
    end
  end
  local seconds = {}
  for second in pairs(total) do
    table.insert(seconds, second)
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("TIMELINE %d %d %d\n", second, total[second][1], total[second][2]))
  end
  local errors = summary.errors
  io.write(string.format(
    "SUMMARY requests=%d connect=%d read=%d write=%d timeout=%d status=%d p99_ms=%.1f\n",
    summary.requests, errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    latency:percentile(99) / 1000
  ))
end
