-- wrk script for bench/run.sh: posts signed LINE bodies from a file of "signature<TAB>body" lines.
-- [WRK_DELAY_MS=D] wrk ... -s bench/post.lua URL -- FILE THREADS
-- Thread k of n takes lines k, k+n, k+2n, ... so threads never post the same body; each thread cycles its share
-- (a body seen again is a redelivery: stored, then deduplicated by the splitter). WRK_DELAY_MS paces each
-- connection (one request, then that many ms of quiet): the rate-limited mode for "p99 at half load". Without it
-- no delay() is defined at all, since wrk then schedules a timer per request even for 0 ms.
local next_id = 0

function setup(thread)
  thread:set("thread_id", next_id)
  next_id = next_id + 1
end

function init(args)
  local file, threads = args[1], tonumber(args[2])
  sigs, bodies, count, at = {}, {}, 0, 0
  local line_no = 0
  for line in io.lines(file) do
    if line_no % threads == thread_id then
      local tab = string.find(line, "\t", 1, true)
      count = count + 1
      sigs[count] = string.sub(line, 1, tab - 1)
      bodies[count] = string.sub(line, tab + 1)
    end
    line_no = line_no + 1
  end
end

function request()
  at = at % count + 1
  return wrk.format("POST", "/webhooks/line",
    { ["Content-Type"] = "application/json", ["X-Line-Signature"] = sigs[at] }, bodies[at])
end

local pause = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pause then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
