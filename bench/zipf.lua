-- wrk readers spread over the site by popularity: each request picks a page from the readers file
-- (one "cumulative-share address" line per page, most read first; bench/day.py writes it).
-- Usage: wrk ... -s bench/zipf.lua http://host:port -- readers.txt
-- Prints a JSON line of how many responses came from the page cache, then report.lua's line.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")
local report = done

local threads = {}
setup = function(thread)
  threads[#threads + 1] = thread
  thread:set("seed", #threads)
end

local shares, addresses = {}, {}
responses, hits = 0, 0

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
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end

done = function(summary, latency, requests)
  local counted, from_cache = 0, 0
  for _, thread in ipairs(threads) do
    counted, from_cache = counted + thread:get("responses"), from_cache + thread:get("hits")
  end
  io.write(string.format('{"responses": %d, "page_cache_hits": %d}\n', counted, from_cache))
  report(summary, latency, requests)
end
