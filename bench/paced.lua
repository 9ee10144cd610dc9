-- Zipf readers (bench/zipf.lua) at a fixed rate, as wrk2 does: each thread hands out send times
-- 1/rate apart and a connection waits for the next free one, so the thread sends `rate` requests a
-- second however many connections it has, as long as one of them is free at each send time. A slow
-- response holds up its own connection, not the schedule; the thread does not catch up after a stall
-- in which every connection was busy (the rate achieved shows it). wrk measures latency from the send.
-- Usage: wrk -t2 -cN ... -s bench/paced.lua http://host:port -- readers.txt <requests/s per thread>
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "zipf.lua")

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } paced_timespec;
int clock_gettime(int clock_id, paced_timespec *tp);
]])
local CLOCK_MONOTONIC, now = 1, ffi.new("paced_timespec")

local function milliseconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end

local zipf_init, interval, next_send = init, nil, nil

init = function(args)
  zipf_init(args)
  interval = 1000 / tonumber(args[2])
end

-- Called before each request: how many milliseconds this connection waits to send it.
delay = function()
  local current = milliseconds()
  local send = math.max(next_send or current, current)
  next_send = send + interval
  return send - current
end
