-- wrk script for the fault drill: rotates through the paths given after "--" and tells what readers
-- got. Every other request carries a query string of its own, so half the load misses the page cache
-- and needs the database; the other half reads pages the cache holds. Run with one connection per
-- thread (-t N -c N): each response then answers the thread's last request, so failures, the friendly
-- 503 and stored copies served stale (X-Page-Cache: stale) are counted per kind of page, and each
-- request's latency is known.
-- Output after wrk's own summary:
--   TIMELINE <second> <ok> <failed> <stale>       per second
--   LATENCY <started, epoch seconds> <ms>          per request
--   KIND <cached|uncached> ok=.. failed=.. friendly=.. stale=.. lost=..
--   SUMMARY requests=.. connect=.. read=.. write=.. timeout=.. status=.. p99_ms=..
-- "lost": a request that got no response (the connection broke: a socket error).

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } drill_timespec;
int clock_gettime(int clock_id, drill_timespec *tp);
]])
local timespec = ffi.new("drill_timespec")

local function now()
  ffi.C.clock_gettime(0, timespec) -- CLOCK_REALTIME
  return tonumber(timespec.tv_sec) + tonumber(timespec.tv_nsec) / 1e9
end

local FRIENDLY = "We will be back in a moment"
local KINDS = { "cached", "uncached" }
local OUTCOMES = { "ok", "failed", "friendly", "stale", "lost" }

local paths = {}
local counter = 0
local run = os.time() -- query strings of this run's own: none was ever cached by an earlier run
local pending, pending_kind, started = false, nil, 0
-- Flat tables of numbers: wrk copies these between threads (nested tables crash it).
ok_per_second = {}
failed_per_second = {}
stale_per_second = {}
latency_started = {}
latency_ms = {}
counts = {} -- "<kind>_<outcome>" -> number

function init(args)
  for _, path in ipairs(args) do
    table.insert(paths, path)
  end
  if #paths == 0 then
    table.insert(paths, "/")
  end
end

local function count(kind, outcome)
  local key = kind .. "_" .. outcome
  counts[key] = (counts[key] or 0) + 1
end

function request()
  -- The first thread's first request is built only for wrk to check the script, and never sent.
  if pending and not (id == 1 and counter == 1) then
    count(pending_kind, "lost")
  end
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  pending_kind = "cached"
  if counter % 2 == 0 then
    path = path .. "?drill=" .. run .. "-" .. id .. "-" .. counter
    pending_kind = "uncached"
  end
  pending, started = true, now()
  return wrk.format("GET", path)
end

local function header(headers, name)
  for key, value in pairs(headers) do
    if string.lower(key) == name then
      return value
    end
  end
  return nil
end

function response(status, headers, body)
  local finished = now()
  local second = math.floor(finished)
  pending = false
  table.insert(latency_started, started)
  table.insert(latency_ms, (finished - started) * 1000)
  if header(headers, "x-page-cache") == "stale" then
    count(pending_kind, "stale")
    stale_per_second[second] = (stale_per_second[second] or 0) + 1
  end
  if status < 400 then
    count(pending_kind, "ok")
    ok_per_second[second] = (ok_per_second[second] or 0) + 1
  else
    count(pending_kind, "failed")
    failed_per_second[second] = (failed_per_second[second] or 0) + 1
    if status == 503 and header(headers, "retry-after") and string.find(body, FRIENDLY, 1, true) then
      count(pending_kind, "friendly")
    end
  end
end

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local function add(total, column, per_second)
  for second, number in pairs(per_second) do
    total[second] = total[second] or { 0, 0, 0 }
    total[second][column] = total[second][column] + number
  end
end

function done(summary, latency, requests)
  local total, kinds = {}, {}
  for _, thread in ipairs(threads) do
    add(total, 1, thread:get("ok_per_second"))
    add(total, 2, thread:get("failed_per_second"))
    add(total, 3, thread:get("stale_per_second"))
    local at, ms = thread:get("latency_started"), thread:get("latency_ms")
    for i = 1, #ms do
      io.write(string.format("LATENCY %.3f %.1f\n", at[i], ms[i]))
    end
    for key, number in pairs(thread:get("counts")) do
      kinds[key] = (kinds[key] or 0) + number
    end
  end
  local seconds = {}
  for second in pairs(total) do
    table.insert(seconds, second)
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    local row = total[second]
    io.write(string.format("TIMELINE %d %d %d %d\n", second, row[1], row[2], row[3]))
  end
  for _, kind in ipairs(KINDS) do
    io.write("KIND " .. kind)
    for _, outcome in ipairs(OUTCOMES) do
      io.write(string.format(" %s=%d", outcome, kinds[kind .. "_" .. outcome] or 0))
    end
    io.write("\n")
  end
  local errors = summary.errors
  io.write(string.format(
    "SUMMARY requests=%d connect=%d read=%d write=%d timeout=%d status=%d p99_ms=%.1f\n",
    summary.requests, errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    latency:percentile(99) / 1000
  ))
end
