-- wrk script (after ../shared/peers/oidc-provider/post.lua): POSTs a form body
-- with HTTP Basic client authentication.
--   WRK_AUTH = base64("client_id:client_secret")   WRK_BODY = the form body
--   LIMIT    = optional: stop after that many responses (see rotate.lua)
-- done() prints: RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY") or "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. (os.getenv("WRK_AUTH") or "")

local limit = tonumber(os.getenv("LIMIT") or "0")
local seen = 0
local pid = nil

if limit > 0 then
  init = function(args)
    local f = io.open("/proc/self/stat")
    pid = f:read("*n")
    f:close()
  end
  response = function(status, headers, body)
    seen = seen + 1
    if seen == limit then
      -- system() ignores SIGINT in the caller while it waits for the shell: signal
      -- from the background, once system() has returned
      os.execute("(sleep 0.01; kill -INT " .. pid .. ") &")
      wrk.thread:stop()
    end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
