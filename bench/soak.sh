#!/usr/bin/env bash
# Soak: the engine under faults for a bounded time, then a count of what was lost, doubled or reordered
# (RELIABILITY.md). Run by hand from anywhere:  bash bench/soak.sh [options]   (loopback only; every loop bounded)
#   --duration S         seconds of traffic (default 180)
#   --kill-every S       stop the engine every S seconds, alternately kill -9 and SIGTERM, then restart it (default 20)
#   --outage-every S     stop the fake LINE API every S seconds: connections are refused until it is back (default 45)
#   --outage S           how long each outage lasts (default 5)
#   --rate429 P --rate5xx P --rate-cut P --rate-late P   shares of API requests answered 429, 500/503, cut without
#                        an answer, or accepted and answered only after the engine's timeout (defaults .10 .05 .02 .03)
#   --users N --parallel P --events E --pause-ms M   the traffic: N users, P posting loops, E events per body, M ms
#                        between a loop's bodies (defaults 200 4 5 200: about 80 events a second)
#   --reply-window T     the engine's Channels:Line:ReplyWindow (default here 00:00:05; the engine's is 50 s): an
#                        answer owed longer (after an outage or a restart) goes out by push, so both paths are tried
#   --binary PATH        a published botengine to run (default: build BotEngine in Release and run it with dotnet)
#   --drain S            seconds allowed after the traffic for every answer to go out (default 180)
#   --port-base P        first of two loopback ports (default 18800)
# Ground truth is the fake API's own record of what it accepted; every event is a "count" whose answer says #n, so a
# missing, repeated or reordered #n per user is a lost, doubled or out-of-order answer. Exit code 1 when any is not 0.
# Results: printed, and kept with the logs in bench/results/soak-<timestamp>/ (git-ignored).
set -euo pipefail
export LC_ALL=C

DURATION=180 KILL_EVERY=20 OUTAGE_EVERY=45 OUTAGE=5 RATE429=0.10 RATE5XX=0.05 RATE_CUT=0.02 RATE_LATE=0.03
USERS=200 PARALLEL=4 EVENTS=5 PAUSE_MS=200 REPLY_WINDOW=00:00:05 BINARY= DRAIN=180 PORT_BASE=18800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --kill-every) KILL_EVERY=$2; shift 2 ;;
    --outage-every) OUTAGE_EVERY=$2; shift 2 ;;
    --outage) OUTAGE=$2; shift 2 ;;
    --rate429) RATE429=$2; shift 2 ;;
    --rate5xx) RATE5XX=$2; shift 2 ;;
    --rate-cut) RATE_CUT=$2; shift 2 ;;
    --rate-late) RATE_LATE=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --events) EVENTS=$2; shift 2 ;;
    --pause-ms) PAUSE_MS=$2; shift 2 ;;
    --reply-window) REPLY_WINDOW=$2; shift 2 ;;
    --binary) BINARY=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/results/soak-$(date +%Y%m%d-%H%M%S)
BIN=$BENCH/results/bin
WORK=$(mktemp -d /tmp/botsoak.XXXXXX)
mkdir -p "$OUT" "$BIN"
SECRET=soak-channel-secret
ENGINE_URL=http://127.0.0.1:$PORT_BASE FAKE_URL=http://127.0.0.1:$((PORT_BASE + 1))
# The engine gives up on one API request after 2 s; a late answer comes after 3 s, when it already gave up.
REQUEST_TIMEOUT=00:00:02 LATE_MS=3000
RECORD=$OUT/accepted.jsonl SENT=$OUT/sent.tsv
ENGINE_PID= FAKE_PID= DRIVER_PID=
declare -A N   # counts of what was done, by name

log() { echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg)] $*" | tee -a "$OUT/soak.log" >&2; }

stop_pid() {  # stop_pid PID [SIGNAL]: TERM (or SIGNAL), then KILL after 15 s
  local pid=$1 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-${2:-TERM}" "$pid" 2>/dev/null || true
  for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() { stop_pid "$DRIVER_PID"; stop_pid "$ENGINE_PID"; stop_pid "$FAKE_PID"; rm -rf "$WORK"; }
trap cleanup EXIT

wait_http() {  # wait_http URL SECONDS: until URL answers 200
  local deadline=$((SECONDS + $2))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$1") == 200 ]]; do
    (( SECONDS < deadline )) || { log "no 200 from $1 within $2 s"; return 1; }
    sleep 0.1
  done
}

metric() {  # metric NAME_WITH_LABELS: one sample of the engine's /metrics; "" when the engine or the metric is absent
  curl -s -m 2 "$ENGINE_URL/metrics" 2>/dev/null | awk -v k="$1" 'index($0, k" ") == 1 { v = $2 } END { if (v != "") printf "%d\n", v }'
}

UNCERTAIN_DONE=0 UNCERTAIN_NOW=0   # the engine's counter restarts at 0 with each run: add up the runs
note_uncertain() {
  local v; v=$(metric 'botengine_uncertain_deliveries_total{channel="line"}')
  [[ -n $v ]] && UNCERTAIN_NOW=$v && N[uncertain_metric]=present
  return 0
}

start_engine() {
  local cmd=(dotnet "$BIN/soak-engine/botengine.dll")
  [[ -n $BINARY ]] && cmd=("$BINARY")
  MALLOC_ARENA_MAX=2 "${cmd[@]}" --Urls="$ENGINE_URL" --BotEngine:DataDirectory="$WORK/data" \
    --Channels:Line:ChannelSecret="$SECRET" --Channels:Line:ChannelAccessToken=soak --Channels:Line:ApiBaseUrl="$FAKE_URL" \
    --Channels:Line:RequestTimeout="$REQUEST_TIMEOUT" --Channels:Line:ReplyWindow="$REPLY_WINDOW" \
    --BotEngine:RetryBaseDelay=00:00:00.200 \
    --BotEngine:RetryMaxDelay=00:00:05 --BotEngine:MaxAttempts=100 >>"$OUT/engine.log" 2>&1 &
  ENGINE_PID=$!
  disown "$ENGINE_PID"   # no "Killed" line from bash for each kill -9
  wait_http "$ENGINE_URL/healthz" 60
}

stop_engine() {  # stop_engine KILL|TERM
  note_uncertain
  UNCERTAIN_DONE=$((UNCERTAIN_DONE + UNCERTAIN_NOW)); UNCERTAIN_NOW=0
  stop_pid "$ENGINE_PID" "$1"
  ENGINE_PID=
}

FAULTS_JSON=()
start_fake() {
  dotnet "$BIN/FakeLine/FakeLine.dll" --Urls="$FAKE_URL" --Faults:Record="$RECORD" --Faults:Rate429="$RATE429" \
    --Faults:Rate5xx="$RATE5XX" --Faults:RateCut="$RATE_CUT" --Faults:RateLate="$RATE_LATE" --Faults:LateMs="$LATE_MS" \
    >>"$OUT/fakeline.log" 2>&1 &
  FAKE_PID=$!
  wait_http "$FAKE_URL/count" 30
}

stop_fake() {
  FAULTS_JSON+=("$(curl -s -m 2 "$FAKE_URL/faults" || echo '{}')")
  stop_pid "$FAKE_PID"
  FAKE_PID=
}

# ---------------------------------------------------------------------------------------------------------------
log "results in $OUT; $(nproc) cores; traffic ${DURATION}s, engine stopped every ${KILL_EVERY}s, API down ${OUTAGE}s every ${OUTAGE_EVERY}s"
for port in "$PORT_BASE" "$((PORT_BASE + 1))"; do
  if ss -ltn | awk '{ print $4 }' | grep -q ":$port\$"; then log "port $port is busy: use --port-base"; exit 1; fi
done
log "building (Release)"
[[ -z $BINARY ]] && dotnet build "$ROOT/BotEngine" -c Release -o "$BIN/soak-engine" -v q -nologo >"$OUT/build.log" 2>&1
for p in FakeLine Soak; do dotnet build "$BENCH/$p" -c Release -o "$BIN/$p" -v q -nologo >>"$OUT/build.log" 2>&1; done

start_fake
start_engine
dotnet "$BIN/Soak/Soak.dll" drive --url "$ENGINE_URL" --secret "$SECRET" --seconds "$DURATION" --out "$SENT" \
  --users "$USERS" --parallel "$PARALLEL" --events "$EVENTS" --pause-ms "$PAUSE_MS" >"$OUT/driver.log" 2>&1 &
DRIVER_PID=$!

N[kill9]=0 N[sigterm]=0 N[outages]=0
next_kill=$((SECONDS + KILL_EVERY)) next_outage=$((SECONDS + OUTAGE_EVERY)) end=$((SECONDS + DURATION))
while (( SECONDS < end )) && kill -0 "$DRIVER_PID" 2>/dev/null; do
  if (( SECONDS >= next_kill )); then
    if (( (N[kill9] + N[sigterm]) % 2 == 0 )); then stop_engine KILL; N[kill9]=$((N[kill9] + 1)); what="kill -9"
    else stop_engine TERM; N[sigterm]=$((N[sigterm] + 1)); what=SIGTERM; fi
    start_engine
    log "engine: $what and restarted ($((N[kill9] + N[sigterm])) stops so far)"
    next_kill=$((SECONDS + KILL_EVERY))
  fi
  if (( SECONDS >= next_outage )); then
    stop_fake; sleep "$OUTAGE"; start_fake
    N[outages]=$((N[outages] + 1)); log "fake LINE API: down for ${OUTAGE}s and back"
    next_outage=$((SECONDS + OUTAGE_EVERY))
  fi
  note_uncertain
  sleep 1
done

log "traffic over; waiting for the driver's last bodies"
wait "$DRIVER_PID" || { log "the driver failed (see $OUT/driver.log)"; exit 1; }
DRIVER_PID=
log "$(cat "$OUT/driver.log")"

# Drain with the faults still on: everything must still get out, in order, once.
deadline=$((SECONDS + DRAIN))
while :; do
  pending=$(metric 'botengine_queue_depth{state="pending"}'); claimed=$(metric 'botengine_queue_depth{state="claimed"}')
  open=$(( ${pending:-1} + ${claimed:-1} ))
  note_uncertain
  (( open == 0 )) && break
  (( SECONDS < deadline )) || { log "still $open events open after ${DRAIN}s of drain"; break; }
  sleep 1
done
dead=$(metric botengine_dead_letters); dead=${dead:-?}
log "open at the end: ${open} (answers still owed count as lost below)"
stop_engine TERM
stop_fake

faults=$(printf '%s\n' "${FAULTS_JSON[@]}" | tr -d '{}"' | tr ',' '\n' | awk -F: 'NF == 2 { s[$1] += $2 } END { for (k in s) printf "%s %d, ", k, s[k] }')
uncertain=$([[ ${N[uncertain_metric]:-} == present ]] && echo "$UNCERTAIN_DONE" || echo "n/a (no botengine_uncertain_deliveries_total)")
log "done: engine stopped $((N[kill9] + N[sigterm])) times (${N[kill9]} kill -9, ${N[sigterm]} SIGTERM), API down ${N[outages]} times"
log "fake API requests: ${faults%, }"
log "dead letters: $dead; uncertain deliveries: $uncertain"
set +e
dotnet "$BIN/Soak/Soak.dll" check --sent "$SENT" --record "$RECORD" | tee -a "$OUT/soak.log"
status=${PIPESTATUS[0]}
log "$([[ $status == 0 ]] && echo PASS || echo FAIL): see $OUT"
exit "$status"
