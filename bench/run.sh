#!/usr/bin/env bash
# Benchmarks of BotEngine against baselines measured in the same run on the same machine (BENCHMARKS.md).
# Run by hand from anywhere:  bash bench/run.sh [options]      (not a test; loopback only; every wait is bounded)
#   --only LIST         comma-separated subset of: ingest,e2e,burst,hog,rss,startup (default all)
#   --runs N            runs of the burst per delivery mode, and of the burst with the CPU hog (default 5)
#   --modes LIST        delivery modes of the burst (default ReplyFirst,Batched)
#   --duration S        seconds of each wrk measurement (default 10)
#   --connections C     wrk connections (default 64); also the raw SQLite loop's batch size
#   --threads T         wrk threads (default 2)
#   --e2e-events N      events of each end-to-end round (default 20000, in bodies of 100)
#   --e2e-line-rate R   Channels:Line:RequestsPerSecond of the end-to-end engines (default 1000000: the fake API has
#                       no limit; LINE's 2,000/s would cap the rounds at 1,800 events/s)
#   --rss-conversations N  distinct conversations of the memory run (default 100000, in bodies of 100)
#   --startup-runs N    cold starts of the start-up figure (default 7)
#   --engine-arg ARG    one more setting for every engine started (repeatable), e.g. --engine-arg --BotEngine:MaxInFlight=256
#   --engine-env K=V    one more environment variable for every engine started (repeatable), e.g.
#                       --engine-env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (the baselines run without it)
#   --port-base P       first of four loopback ports (default 18700)
#   --no-build          reuse bench/results/bin from an earlier run (A/B runs of settings or environment variables)
# Results: printed, and kept with every log in bench/results/<timestamp>/ (git-ignored).
set -euo pipefail
export LC_ALL=C

ONLY=ingest,e2e,burst,hog,rss,startup RUNS=5 MODES=ReplyFirst,Batched DURATION=10 CONNECTIONS=64 THREADS=2
E2E_EVENTS=20000 E2E_LINE_RATE=1000000 RSS_CONVERSATIONS=100000 STARTUP_RUNS=7 PORT_BASE=18700 ENGINE_ARGS=() ENGINE_ENV=() BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --only) ONLY=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --e2e-events) E2E_EVENTS=$2; shift 2 ;;
    --e2e-line-rate) E2E_LINE_RATE=$2; shift 2 ;;
    --rss-conversations) RSS_CONVERSATIONS=$2; shift 2 ;;
    --startup-runs) STARTUP_RUNS=$2; shift 2 ;;
    --engine-arg) ENGINE_ARGS+=("$2"); shift 2 ;;
    --engine-env) ENGINE_ENV+=("$2"); shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/results/$(date +%Y%m%d-%H%M%S)
BIN=$BENCH/results/bin
WORK=$(mktemp -d /tmp/botbench.XXXXXX)
mkdir -p "$OUT" "$BIN"
mkfifo "$WORK/nap"; exec 9<>"$WORK/nap"   # see nap in lib.sh
SECRET=bench-channel-secret
ENGINE_PORT=$PORT_BASE REF_PORT=$((PORT_BASE + 1)) FAKE_PORT=$((PORT_BASE + 2)) SLOW_PORT=$((PORT_BASE + 3))
ENGINE_URL=http://127.0.0.1:$ENGINE_PORT REF_URL=http://127.0.0.1:$REF_PORT
FAKE_URL=http://127.0.0.1:$FAKE_PORT SLOW_URL=http://127.0.0.1:$SLOW_PORT
PIDS=()
declare -A R   # results by name
source "$BENCH/lib.sh"
source "$BENCH/sections.sh"
trap cleanup EXIT

log "results in $OUT; $(nproc) cores; $(uname -m); engine args: ${ENGINE_ARGS[*]:-none}; engine env: ${ENGINE_ENV[*]:-none}"
command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }; }
command -v sqlite3 >/dev/null || { log "installing sqlite3"; apt-get install -y -qq sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3; }; }
for port in "$ENGINE_PORT" "$REF_PORT" "$FAKE_PORT" "$SLOW_PORT"; do
  if ss -ltn | awk '{ print $4 }' | grep -q ":$port\$"; then log "port $port is busy: use --port-base"; exit 1; fi
done

case $(uname -m) in aarch64) RID=linux-arm64 ;; *) RID=linux-x64 ;; esac
if [[ $BUILD == 1 ]]; then
  log "building (published Release engine, $RID; bench projects in Release)"
  dotnet publish "$ROOT/BotEngine" -c Release -r "$RID" -o "$BIN/engine" -v q -nologo >"$OUT/build.log" 2>&1
  for p in ReferenceIngest BareKestrel FakeLine RawSqlite BodyGen; do
    dotnet build "$BENCH/$p" -c Release -o "$BIN/$p" -v q -nologo >>"$OUT/build.log" 2>&1
  done
else
  log "not building: the binaries in $BIN as they are"
fi
# The single-file binary extracts its native SQLite library on first run: once here, not inside a timed start.
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=$WORK/extract

start fakeline dotnet "$BIN/FakeLine/FakeLine.dll" --Urls="$FAKE_URL"
wait_http "$FAKE_URL/count" 30
start slowline dotnet "$BIN/FakeLine/FakeLine.dll" --Urls="$SLOW_URL" --DelayMs=200
wait_http "$SLOW_URL/count" 30

if want ingest; then
  ingest 1k 20000 1 1024 300
  ingest 70k 400 100 71680 20
fi
want e2e && e2e
if want burst || want hog; then
  gen --out "$WORK/burst.txt" --bodies 50 --events 100 --bytes 0
fi
if want burst; then
  for mode in ${MODES//,/ }; do
    for run in $(seq "$RUNS"); do burst_run "$mode" "$run" 0; done
  done
fi
if want hog; then
  for run in $(seq "$RUNS"); do burst_run ReplyFirst "$run" 1; done
fi
want rss && rss
want startup && startup
stop_engine

# Table ---------------------------------------------------------------------------------------------------------------
# verdict VALUE GOAL OP: yes / NO / ? (no value)
verdict() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { if (v == "" || v == "n/a") print "?"; else if ((op == ">=" && v + 0 >= g + 0) || (op == "<" && v + 0 < g + 0)) print "yes"; else print "NO" }'; }
row() { printf '%-46s | %-24s | %-24s | %-6s | %-9s | %s\n' "$@"; }
{
  echo
  row figure baseline engine ratio goal met
  printf '%s\n' "-----------------------------------------------+--------------------------+--------------------------+--------+-----------+----"
  if want ingest; then
    for s in 1k 70k; do
      r=$(ratio "${R[$s.engine.rps]}" "${R[$s.ref.rps]}")
      row "ingest $s (${R[$s.size]} B), req/s vs reference" "ref ${R[$s.ref.rps]}" "${R[$s.engine.rps]}" "$r" ">= 0.8" "$(verdict "$r" 0.8 '>=')"
      row "  p50 / p99 at max (ms)" "${R[$s.ref.p50]} / ${R[$s.ref.p99]}" "${R[$s.engine.p50]} / ${R[$s.engine.p99]}" - - -
      row "  p99 at half the reference's max (ms)" "${R[$s.ref.half.p99]} @${R[$s.ref.half.rps]}/s" \
        "${R[$s.engine.half.p99]} @${R[$s.engine.half.rps]}/s" "$(ratio "${R[$s.engine.half.p99]}" "${R[$s.ref.half.p99]}")" - -
      row "  reference vs raw SQLite loop (the disk)" "raw ${R[$s.raw.rps]} rows/s" "ref ${R[$s.ref.rps]}" \
        "$(ratio "${R[$s.ref.rps]}" "${R[$s.raw.rps]}")" - -
      r=$(ratio "${R[$s.engine.rps]}" "${R[$s.bare.rps]}")
      row "  engine vs bare Kestrel (reads, answers 200)" "bare ${R[$s.bare.rps]}" "${R[$s.engine.rps]}" "$r" \
        "$([[ $s == 1k ]] && echo '>= 0.5' || echo -)" "$([[ $s == 1k ]] && verdict "$r" 0.5 '>=' || echo -)"
    done
  fi
  if want e2e; then
    for round in new live; do
      goal=$([[ $round == new ]] && echo 3000 || echo 4000)
      r=$(ratio "${R[e2e.Akka.$round]}" "${R[e2e.NoOp.$round]}")
      row "end-to-end, $round conversations, events/s" "no-op ${R[e2e.NoOp.$round]}" "${R[e2e.Akka.$round]}" "$r" ">= 0.7" "$(verdict "$r" 0.7 '>=')"
      row "  absolute (goal >= $goal/s; no-op >= 4300?)" "no-op $(verdict "${R[e2e.NoOp.$round]}" 4300 '>=')" \
        "${R[e2e.Akka.$round]}" - ">= $goal" "$(verdict "${R[e2e.Akka.$round]}" "$goal" '>=')"
    done
  fi
  if want burst; then
    for mode in ${MODES//,/ }; do
      row "burst $mode x$RUNS: worst all-200s (ms)" - "${R[burst.$mode.0.all200]}" - "< 1000" "$(verdict "${R[burst.$mode.0.all200]}" 1000 '<')"
      row "burst $mode x$RUNS: worst last answer (ms)" - "${R[burst.$mode.0.last]}" - "< 3000" "$(verdict "${R[burst.$mode.0.last]}" 3000 '<')"
    done
  fi
  if want hog; then
    base=${R[burst.ReplyFirst.0.p99]:-}
    row "burst + CPU hog x$RUNS: worst webhook p99 (ms)" "no hog ${base:--}" "${R[burst.ReplyFirst.1.p99]}" \
      "$(ratio "${R[burst.ReplyFirst.1.p99]}" "$base")" "< 1000" "$(verdict "${R[burst.ReplyFirst.1.p99]}" 1000 '<')"
    row "burst + CPU hog: Ask timeouts, all runs" "no hog ${R[burst.ReplyFirst.0.asks]:--}" "${R[burst.ReplyFirst.1.asks]}" - "0" \
      "$(verdict "${R[burst.ReplyFirst.1.asks]}" 1 '<')"
  fi
  if want rss; then
    row "RSS after $RSS_CONVERSATIONS conversations (MB)" "start ${R[rss.start]}" "${R[rss.mb]} (peak ${R[rss.hwm]})" - "< 300" "$(verdict "${R[rss.mb]}" 300 '<')"
  fi
  if want startup; then
    row "exec -> first /healthz 200, median (ms)" "reference ${R[startup.ref]}" "${R[startup.ms]}" \
      "$(ratio "${R[startup.ms]}" "${R[startup.ref]}")" "< 500" "$(verdict "${R[startup.ms]}" 500 '<')"
    row "  engine CPU at that 200, median (ms)" - "${R[startup.cpu]}" - - -
  fi
  echo
  if want burst || want hog; then
    echo "every burst run (5,000 new users in 50 bodies posted at once, API at 200 ms; fresh engine, no warm-up):"
    printf '%s\n' "${BURST_LINES[@]}"
  fi
  want startup && echo "start-up runs (ms): ${R[startup.all]}; CPU at ready: ${R[startup.cpu.all]}; reference: ${R[startup.ref.all]}; idle RSS ${R[startup.rss]} MB"
  want ingest && for s in 1k 70k; do echo "ingest $s engine threads: ${R[$s.engine.threads]}"; done
  want e2e && for rt in NoOp Akka; do echo "e2e $rt stages: ${R[e2e.$rt.stages]}"; echo "e2e $rt threads: ${R[e2e.$rt.threads]}"; done
  true
} | tee "$OUT/table.txt"
