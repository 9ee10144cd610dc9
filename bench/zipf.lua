-- wrk readers spread over the site by popularity: each request picks a page from the readers file
-- (one "cumulative-share address" line per page, most read first; bench/day.py writes it).
-- Usage: wrk ... -s bench/zipf.lua http://host:port -- readers.txt
-- Prints a JSON line of how many responses there were, how many came from the page cache and how many
-- had each X-Page-Cache value ("hit", "miss", "stale"...), then report.lua's line.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")
local report = done

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("seed", #threads)
end

local shares, addresses = {}, {}
responses, cache_answers = 0, {}

init = function(args)
  for line in io.lines(args[1]) do
    local share, address = line:match("^(%S+) (%S+)$")
    shares[#shares + 1] = tonumber(share)
    addresses[#addresses + 1] = address
  end
  math.randomseed(os.time() * 1000 + seed)
end

-- The first page whose cumulative share reaches a uniform draw: rank k with probability share(k) - share(k-1).
request = function()
  local draw, low, high = math.random(), 1, #shares
  while low < high do
    local middle = math.floor((low + high) / 2)
    if shares[middle] < draw then low = middle + 1 else high = middle end
  end
  return wrk.format("GET", addresses[low])
end

response = function(status, headers, body)
  responses = responses + 1
  local answer = headers["X-Page-Cache"] or "none"
  cache_answers[answer] = (cache_answers[answer] or 0) + 1
end

done = function(summary, latency, requests)
  local counted, answers, parts = 0, {}, {}
  for _, thread in ipairs(threads) do
    counted = counted + thread:get("responses")
    for answer, count in pairs(thread:get("cache_answers")) do
      answers[answer] = (answers[answer] or 0) + count
    end
  end
  for answer, count in pairs(answers) do
    parts[#parts + 1] = string.format('"%s": %d', (answer:gsub('[^%w ,_-]', '')), count)
  end
  local line = '{"responses": %d, "page_cache_hits": %d, "page_cache": {%s}}\n'
  io.write(string.format(line, counted, answers["hit"] or 0, table.concat(parts, ", ")))
  report(summary, latency, requests)
end
