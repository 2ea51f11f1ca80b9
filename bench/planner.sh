#!/usr/bin/env bash
# The LINE send planner's figures (BENCHMARKS.md, "Send planner"): requests to the Messaging API against the minimum
# LINE allows for the same answers, and when the last answer was accepted, with the API answering after 200 ms.
# Run by hand from anywhere:  bash bench/planner.sh [--users N] [--port-base P]     (loopback only; bounded waits)
#   1. Batched, 5,000 users, the same answer:   minimum ceil(5000 / 500) = 10 multicasts
#   2. Batched, 5,000 users, 20 distinct answers (250 users each): minimum 20 multicasts; with the default
#      CoalesceMaxWait (5 s) and again with 60 s (the burst takes longer than 5 s to answer on a busy 2-core box)
#   3. ReplyFirst, the same burst: one free reply per event, 0 pushes and 0 multicasts while tokens are fresh
# The engine runs a bench-only flow (written to a temp folder, given with Flows:Directory): "q1".."q20" answer
# "answer 1".."answer 20", anything else "the same answer for everyone", so identical inputs give identical answers
# (the demo flow's "count" answers #N, different per user). Results: printed and kept in bench/results/planner-<time>/.
set -euo pipefail
export LC_ALL=C

USERS=5000 PORT_BASE=18800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --users) USERS=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
(( USERS % 100 == 0 )) || { echo "--users must be a multiple of 100" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/results/planner-$(date +%Y%m%d-%H%M%S)
BIN=$BENCH/results/bin
WORK=$(mktemp -d /tmp/botplanner.XXXXXX)
mkdir -p "$OUT" "$BIN"
SECRET=bench-channel-secret
ENGINE_URL=http://127.0.0.1:$PORT_BASE FAKE_URL=http://127.0.0.1:$((PORT_BASE + 1))
PIDS=() ENGINE_PID=

log() { echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg)] $*" | tee -a "$OUT/run.log" >&2; }

stop_pid() {  # TERM, up to 10 s, then KILL: only processes this script started
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() { for pid in "${PIDS[@]}"; do stop_pid "$pid"; done; rm -rf "$WORK"; }
trap cleanup EXIT

start() { local name=$1; shift; "$@" >>"$OUT/$name.log" 2>&1 & STARTED=$!; PIDS+=("$STARTED"); }

wait_http() {  # wait_http URL SECONDS: until URL answers 200
  local deadline=$((SECONDS + $2))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$1") == 200 ]]; do
    (( SECONDS < deadline )) || { log "no 200 from $1 within $2 s"; return 1; }
    sleep 0.1
  done
}

metric() { curl -s "$ENGINE_URL/metrics" | awk -v k="$1" 'index($0, k" ") == 1 { v = $2 } END { printf "%d\n", v + 0 }'; }

wait_settled() {  # until the engine has no pending or claimed event, at most $1 s
  local deadline=$((SECONDS + $1))
  while (( $(metric 'botengine_queue_depth{state="pending"}') + $(metric 'botengine_queue_depth{state="claimed"}') > 0 )); do
    (( SECONDS < deadline )) || { log "queue not settled within $1 s"; return 1; }
    sleep 0.2
  done
}

start_engine() {  # start_engine MODE [--Key=value ...]: a fresh engine on a fresh data folder
  [[ -n $ENGINE_PID ]] && stop_pid "$ENGINE_PID"
  local data mode=$1; shift; data=$(mktemp -d "$WORK/data.XXXX")
  MALLOC_ARENA_MAX=2 start engine "$BIN/engine/botengine" --Urls="$ENGINE_URL" --BotEngine:DataDirectory="$data" \
    --Channels:Line:ChannelSecret="$SECRET" --Channels:Line:ChannelAccessToken=bench \
    --Channels:Line:ApiBaseUrl="$FAKE_URL" --Channels:Line:DeliveryMode="$mode" \
    --Flows:Directory="$WORK/flows" --Flows:Bot=flow:bench "$@"
  ENGINE_PID=$STARTED
  wait_http "$ENGINE_URL/healthz" 60
}

gen() { dotnet "$BIN/BodyGen/BodyGen.dll" gen --secret "$SECRET" "$@"; }
post() { dotnet "$BIN/BodyGen/BodyGen.dll" post --url "$ENGINE_URL/webhooks/line" "$@"; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" $2" | head -1; }

# run NAME MODE MINIMUM ENGINE_SETTING [BodyGen options]: warm up, reset the counts, post the burst, report.
run() {
  local name=$1 mode=$2 minimum=$3 setting=$4; shift 4
  gen --out "$WORK/$name.txt" --bodies $((USERS / 100)) --events 100 --bytes 0 "$@"
  gen --out "$WORK/$name-warm.txt" --bodies 10 --events 10 --bytes 0 "$@"
  start_engine "$mode" ${setting:+"$setting"}
  post --file "$WORK/$name-warm.txt" --concurrency 4 --count-url "$FAKE_URL/count" --expect 100 --timeout 60 >/dev/null
  wait_settled 60
  curl -s -X POST "$FAKE_URL/reset" >/dev/null
  local line requests
  line=$(post --file "$WORK/$name.txt" --concurrency 50 --count-url "$FAKE_URL/count" --expect "$USERS" --timeout 180 \
    | grep '^RESULT')
  wait_settled 60 || true
  requests=$(curl -s "$FAKE_URL/requests")
  local reply push multicast total
  reply=$(field reply "$requests") push=$(field push "$requests") multicast=$(field multicast "$requests")
  total=$((reply + push + multicast))
  log "$name ($mode): $line; requests: $requests"
  printf '%-44s | %-10s | %-26s | %-8s | %-7s | %s\n' "$name" "$mode" "$requests" "$minimum" \
    "$(awk -v t="$total" -v m="$minimum" 'BEGIN { printf "%.2f", t / m }')" \
    "all 200s $(field all200_ms "$line") ms, last answer $(field accepted_ms "$line") ms" >>"$OUT/table.txt"
}

log "results in $OUT; $(nproc) cores"
mkdir -p "$WORK/flows"
{
  printf '{"id":"bench","version":1,"start":"idle","fallback":"idle","states":{"idle":{}},"commands":['
  for i in $(seq 20); do printf '{"on":{"text":"q%d"},"say":"answer %d"},' "$i" "$i"; done
  printf '{"on":{"any":true},"say":"the same answer for everyone"}]}\n'
} >"$WORK/flows/bench.json"

case $(uname -m) in aarch64) RID=linux-arm64 ;; *) RID=linux-x64 ;; esac
log "building (published Release engine, $RID; FakeLine and BodyGen in Release)"
dotnet publish "$ROOT/BotEngine" -c Release -r "$RID" -o "$BIN/engine" -v q -nologo >"$OUT/build.log" 2>&1
for p in FakeLine BodyGen; do dotnet build "$BENCH/$p" -c Release -o "$BIN/$p" -v q -nologo >>"$OUT/build.log" 2>&1; done
"$BIN/engine/botengine" flows check "$WORK/flows" >>"$OUT/build.log" 2>&1

start fakeline dotnet "$BIN/FakeLine/FakeLine.dll" --Urls="$FAKE_URL" --DelayMs=200
wait_http "$FAKE_URL/count" 30

TEXTS=$(seq -s, -f 'q%g' 20)
printf '%-44s | %-10s | %-26s | %-8s | %-7s | %s\n' figure mode "requests" minimum ratio time >"$OUT/table.txt"
MIX=$(( 20 * ((USERS / 20 + 499) / 500) ))
run "batched, $USERS users, the same answer" Batched $(( (USERS + 499) / 500 )) ""
run "batched, $USERS users, 20 distinct answers" Batched "$MIX" "" --texts "$TEXTS"
run "  the same, CoalesceMaxWait 60 s" Batched "$MIX" --Channels:Line:CoalesceMaxWait=00:01:00 --texts "$TEXTS"
run "replyfirst, $USERS users, the same answer" ReplyFirst "$USERS" ""
[[ -n $ENGINE_PID ]] && stop_pid "$ENGINE_PID"
echo; cat "$OUT/table.txt"
