-- wrk script (after ../shared/peers/oidc-provider/post.lua): POSTs a form body
-- with HTTP Basic client authentication.
--   WRK_AUTH = base64("client_id:client_secret")   WRK_BODY = the form body
--   LIMIT    = optional: stop after that many responses (see rotate.lua)
-- done() prints: RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("WRK_AUTH") or "")

local limit = tonumber(os.getenv("LIMIT") or "0")
local seen = 0
local pid = nil

if limit > 0 then
  init = function(args) pid = wrk_pid() end
  response = function(status, headers, body)
    seen = seen + 1
    stop_at(seen, limit, pid)
  end
end

done = function(summary, latency, requests)
  write_result(summary, latency)
end
