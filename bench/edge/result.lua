-- wrk script of bench/run-edge.sh: after the run, one machine-readable line with the request
-- count, duration (µs), p50 and p99 latency (µs), errors (socket errors and non-2xx answers)
-- and bytes read, which edgetool reads.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRKRESULT %d %d %.0f %.0f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout, summary.bytes))
end
