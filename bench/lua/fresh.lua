-- wrk script (tools/stress): uses short-lived access tokens of the AS under test, getting
-- a new one (client_credentials) every REFRESH_S seconds, and checks every answer's body,
-- not only its status.
--   MODE      = introspect: POST /oauth2/introspect token=<current>, expects "active":true
--               bearer:     GET <the wrk URL's path> with "Authorization: Bearer <current>",
--                           expects 200 (an RS location trusting the AS's JWKS)
--   WRK_AUTH  = base64("client_id:client_secret") of a client_credentials client
--   WRK_SCOPE = the scope to ask for (default photos)
--   REFRESH_S = seconds between two new tokens (default 3: well within a 10 s lifetime)
-- The token request goes to /oauth2/token on the same host; it is counted with the others.
-- done() prints: RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
-- where non2xx counts every unexpected answer (a 4xx/5xx status, a token answer without a
-- token, an introspection answer that is not active), and "failed requests: n, the first: .."
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local threads = {}
function setup(thread) table.insert(threads, thread) end

local mode = os.getenv("MODE") or "introspect"
local auth = "Basic " .. (os.getenv("WRK_AUTH") or "")
local scope = os.getenv("WRK_SCOPE") or "photos"
local every = tonumber(os.getenv("REFRESH_S") or "3")
local form = "application/x-www-form-urlencoded"
local tok, got, pending = nil, 0, false
bad = 0           -- globals of each thread's state, read by done()
firstbad = nil

local function fail(status, body)
  bad = bad + 1
  if not firstbad then firstbad = status .. " " .. (body or ""):sub(1, 200):gsub("%s+", " ") end
end

function request()
  local now = os.time()
  if tok == nil or (not pending and now - got >= every) then
    pending = true
    return wrk.format("POST", "/oauth2/token", { ["Content-Type"] = form, ["Authorization"] = auth },
      "grant_type=client_credentials&scope=" .. scope)
  end
  if mode == "bearer" then
    return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. tok })
  end
  return wrk.format("POST", "/oauth2/introspect", { ["Content-Type"] = form, ["Authorization"] = auth },
    "token=" .. tok)
end

function response(status, headers, body)
  local t = body and body:match('"access_token"%s*:%s*"([^"]+)"')
  if t then
    tok, got, pending = t, os.time(), false
  elseif body and body:match('"error"%s*:') and pending then
    pending = false                     -- a failed token request: ask again
    if status < 400 then fail(status, body) end
  elseif status < 400 and mode == "introspect" and not (body and body:match('"active"%s*:%s*true')) then
    fail(status, body)
  end
  if status >= 400 and not firstbad then firstbad = status .. " " .. (body or ""):sub(1, 200):gsub("%s+", " ") end
end

function done(summary, latency, requests)
  local extra = 0
  for _, t in ipairs(threads) do
    extra = extra + t:get("bad")
    local fb = t:get("firstbad")
    if fb then io.write("failed requests: " .. (t:get("bad") + summary.errors.status) .. ", the first: " .. fb .. "\n") end
  end
  write_result(summary, latency, extra)
end
