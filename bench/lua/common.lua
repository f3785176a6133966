-- Shared by the bench's wrk scripts (loaded with dofile from each): the RESULT line
-- bench/run and tools/stress parse, and the LIMIT stop.

-- RESULT rps=.. p50_ms=.. p99_ms=.. requests=.. non2xx=.. errors=..
-- non2xx: wrong statuses plus `bad`, the answers the script itself judged wrong
function write_result(summary, latency, bad)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + (bad or 0),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- The pid of wrk itself, read in init(), for stop_at().
function wrk_pid()
  local f = io.open("/proc/self/stat")
  local pid = f:read("*n")
  f:close()
  return pid
end

-- Ends the whole run once `seen` reaches `limit` (call it from response()).
function stop_at(seen, limit, pid)
  if seen == limit then
    -- system() ignores SIGINT in the caller while it waits for the shell: signal
    -- from the background, once system() has returned
    os.execute("(sleep 0.01; kill -INT " .. pid .. ") &")
    wrk.thread:stop()
  end
end
