-- wrk script: refresh-token grants with rotation. Every request uses a refresh
-- token returned by an earlier response, never one that was already sent.
--   TOKENS   = file with one initial refresh token per line (one chain each;
--              give at least as many as wrk connections per thread)
--   WRK_AUTH = base64("client_id:client_secret")
-- wrk calls response() for a connection and then request() for the next request
-- on that connection, from the same thread: a per-thread queue of unused
-- tokens (filled by response(), emptied by request()) therefore always holds a
-- token when request() runs, whatever the number of connections per thread.
-- A failed refresh ends its chain (its token is not reused: a rotated token
-- sent again would revoke the whole family, as RFC 9700 asks).
-- done() prints: RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local counter = 0
local threads = {}
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local queue = {}
local head, tail = 1, 0
local auth = "Basic " .. (os.getenv("WRK_AUTH") or "")
lost = 0          -- globals of each thread's state, read by done()
firstfail = nil

local function push(t) tail = tail + 1; queue[tail] = t end
local function pop()
  if head > tail then return nil end
  local t = queue[head]; queue[head] = nil; head = head + 1
  return t
end

function init(args)
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  local k = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if #line > 0 then
      if k % nthreads == tid then push(line) end
      k = k + 1
    end
  end
end

-- wrk calls request() once more, in the first thread, before any connection exists
-- (script_verify_request): that request is never sent, so it must not use up a token.
local verified = false

function request()
  local t
  if not verified and tid == 0 then
    verified = true
    t = queue[head] or "none"
  else
    t = pop() or "exhausted-no-refresh-token-left"
  end
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = auth },
    "grant_type=refresh_token&refresh_token=" .. t)
end

function response(status, headers, body)
  local t = (status == 200) and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if t then push(t) else
    lost = lost + 1
    if not firstfail then firstfail = status .. " " .. (body or ""):sub(1, 200):gsub("%s+", " ") end
  end
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local ff = t:get("firstfail")
    if ff then io.write("failed refreshes: " .. t:get("lost") .. ", the first: " .. ff .. "\n") end
  end
  write_result(summary, latency)
end
