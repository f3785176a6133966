-- wrk script (from ../shared/peers/mod_oauth2/rotate.lua): sends
-- "Authorization: Bearer <token>" taking tokens round-robin from the file named
-- by $TOKENS (one per line). One line: the same token on every request; N lines:
-- N distinct tokens rotating. With several wrk threads each walks its own stride.
-- All requests are pre-formatted in init(), so request() costs the same in
-- every case (and in the unprotected case, which gets the same header).
-- $LIMIT (optional): stop after that many responses in total (one wrk thread
-- only): wrk is interrupted (SIGINT to itself) so that its duration and rate
-- cover exactly the requests made; used to send every token of a pool once.
-- done() prints: RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local reqs = {}
local n = 0
local i = 0
local limit = tonumber(os.getenv("LIMIT") or "0")
local seen = 0
local pid = nil

function init(args)
  local path = os.getenv("TOKENS")
  assert(path, "set TOKENS=<file>")
  local all = {}
  for line in io.lines(path) do
    if #line > 0 then all[#all + 1] = line end
  end
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  for k = tid + 1, #all, nthreads do
    reqs[#reqs + 1] = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. all[k] })
  end
  if #reqs == 0 then reqs[1] = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. all[1] }) end
  n = #reqs
  if limit > 0 then pid = wrk_pid() end
end

function request()
  i = i + 1
  if i > n then i = 1 end
  return reqs[i]
end

if limit > 0 then
  response = function(status, headers, body)
    seen = seen + 1
    stop_at(seen, limit, pid)
  end
end

function done(summary, latency, requests)
  write_result(summary, latency)
end
