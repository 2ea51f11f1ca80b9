# Helpers of bench/run.sh (sourced, not run): processes, waits, metrics, per-thread CPU, wrk and BodyGen.
# Every wait has a deadline; every process started here is stopped by stop_pid (TERM, then KILL after 10 s).

# Every line carries the 1-minute load average: other work on the machine shows in it (2 cores: above 2 = queueing).
log() { echo "[$(date +%T) load $(cut -d' ' -f1 /proc/loadavg)] $*" | tee -a "$OUT/run.log" >&2; }
want() { [[ ",$ONLY," == *",$1,"* ]]; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$WORK"
}

# Stops one process this script started: TERM, up to 10 s, then KILL.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# start NAME CMD...: runs CMD in the background with its output in $OUT/NAME.log; sets STARTED to its pid.
start() {
  local name=$1; shift
  "$@" >>"$OUT/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

# nap SECONDS: sleeps without starting a process (a read that times out on fd 9, a FIFO nobody writes to, opened by
# run.sh), so polling every few ms takes no CPU from the process being timed.
nap() { read -rt "$1" -u 9 || true; }

# probe URL: true when GET URL answers 200, through bash's /dev/tcp (no process per try). URL: http://HOST:PORT/PATH
probe() {
  local rest=${1#http://} hostport line
  hostport=${rest%%/*}
  { exec 3<>"/dev/tcp/${hostport%%:*}/${hostport##*:}"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "${rest#"$hostport"}" >&3
  read -rt 5 line <&3 || true
  exec 3<&- 3>&-
  [[ $line == *" 200 "* ]]
}

# wait_http URL SECONDS: until GET URL answers 200, trying every 5 ms.
wait_http() {
  local deadline=$((SECONDS + $2))
  until probe "$1"; do
    (( SECONDS < deadline )) || { log "no 200 from $1 within $2 s"; return 1; }
    nap 0.005
  done
}

# metric NAME_WITH_LABELS [decimals]: one sample of the engine's /metrics (0 when absent).
metric() {
  curl -s "$ENGINE_URL/metrics" | awk -v k="$1" -v d="${2:-0}" 'index($0, k" ") == 1 { v = $2 } END { printf "%.*f\n", d, v + 0 }'
}

# wait_settled SECONDS: until the engine has no pending or claimed event.
wait_settled() {
  local deadline=$((SECONDS + $1)) open
  while :; do
    open=$(( $(metric 'botengine_queue_depth{state="pending"}') + $(metric 'botengine_queue_depth{state="claimed"}') ))
    (( open == 0 )) && return 0
    (( SECONDS < deadline )) || { log "queue not settled within $1 s ($open open)"; return 1; }
    sleep 0.5
  done
}

# start_engine LABEL API_URL [--Key=value ...]: a fresh engine on a fresh data folder, its log in engine-LABEL.log;
# sets ENGINE_PID, ENGINE_DATA, ENGINE_LOG, ENGINE_READY_MS (exec to the first 200 on /healthz) and ENGINE_READY_CPU_MS
# (the engine's CPU time, user + system, at that moment: the work before ready, which a loaded machine stretches less).
ENGINE_PID=
start_engine() {
  local label=$1 api=$2 begin; shift 2
  [[ -n $ENGINE_PID ]] && stop_pid "$ENGINE_PID"
  ENGINE_DATA=$(mktemp -d "$WORK/data.XXXX") ENGINE_LOG=$OUT/engine-$label.log
  begin=$(date +%s%N)
  # MALLOC_ARENA_MAX=2 as in deploy/botengine.service: the engine runs as it is installed.
  MALLOC_ARENA_MAX=2 start "engine-$label" env "${ENGINE_ENV[@]}" "$BIN/engine/botengine" --Urls="$ENGINE_URL" \
    --BotEngine:DataDirectory="$ENGINE_DATA" --Channels:Line:ChannelSecret="$SECRET" \
    --Channels:Line:ChannelAccessToken=bench --Channels:Line:ApiBaseUrl="$api" "${ENGINE_ARGS[@]}" "$@"
  ENGINE_PID=$STARTED
  wait_http "$ENGINE_URL/healthz" 60
  ENGINE_READY_MS=$(( ($(date +%s%N) - begin) / 1000000 ))
  ENGINE_READY_CPU_MS=$(awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' /proc/"$ENGINE_PID"/stat)
}

stop_engine() { [[ -n $ENGINE_PID ]] && stop_pid "$ENGINE_PID"; ENGINE_PID=; }

# CPU ticks (1/100 s) per thread name of a process, summed: "name ticks" lines.
thread_ticks() {
  local pid=$1 t
  for t in /proc/"$pid"/task/*; do
    [[ -r $t/stat ]] || continue
    # comm may hold spaces; utime and stime are fields 14 and 15, i.e. 12 and 13 after the ") ".
    sed 's/^.*) //' "$t/stat" 2>/dev/null | awk -v n="$(tr ' ' '_' <"$t/comm" 2>/dev/null)" '{ print n, $12 + $13 }'
  done | awk '{ s[$1] += $2 } END { for (k in s) print k, s[k] }' | sort
}

# thread_cpu_diff BEFORE AFTER SECONDS: the busiest thread groups in between, as % of one core.
thread_cpu_diff() {
  join -a 2 -e 0 -o 0,1.2,2.2 "$1" "$2" | awk -v s="$3" '{ d = $3 - $2; if (d > 0 && s > 0) printf "%s=%.0f%%\n", $1, d / s }' \
    | sort -t= -k2 -rn | head -8 | tr '\n' ' '
}

# thread_states PID NAME SECONDS: samples the state of the thread called NAME 50 times a second: R = on a CPU or
# waiting for one, D = in the kernel (fsync), S = asleep (waiting for work or a lock), with the top wait channels.
thread_states() {
  local pid=$1 tid="" t comm st w i
  for t in /proc/"$pid"/task/*; do read -r comm <"$t/comm" && [[ $comm == "$2" ]] && tid=${t##*/}; done
  [[ -n $tid ]] || { echo "no thread $2"; return 0; }
  for ((i = 0; i < $3 * 50; i++)); do
    read -r st <"/proc/$pid/task/$tid/stat" 2>/dev/null || break
    st=${st##*) }; st=${st%% *}
    w=; read -r w <"/proc/$pid/task/$tid/wchan" 2>/dev/null || true
    echo "$st ${w:-?}"
    sleep 0.02
  done | awk '{ n++; s[$1]++; if ($1 != "R") c[$1 ":" $2]++ }
    END { for (k in s) printf "%s=%.0f%% ", k, 100 * s[k] / n; printf "| "
          for (k in c) print c[k], k | "sort -rn | head -3 | tr \"\\n\" \" \"" }'
}

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<" $2" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
maxof() { printf '%s\n' "$@" | sort -n | tail -1; }

# wrk_run URL FILE [DELAY_MS]: one wrk measurement; prints its RESULT line. Without a delay WRK_DELAY_MS stays unset
# (post.lua then defines no delay(), which would cost a timer per request even at 0 ms).
wrk_run() {
  env ${3:+WRK_DELAY_MS=$3} wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$BENCH/post.lua" "$1" -- "$2" "$THREADS" \
    | tee -a "$OUT/wrk.log" | grep '^RESULT'
}
wrk_warm() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s --timeout 10s -s "$BENCH/post.lua" "$1" -- "$2" "$THREADS" >/dev/null
}

gen() { dotnet "$BIN/BodyGen/BodyGen.dll" gen --secret "$SECRET" "$@"; }
post() { dotnet "$BIN/BodyGen/BodyGen.dll" post --url "$ENGINE_URL/webhooks/line" "$@"; }

# hog_start / hog_stop: a busy loop pinned to the last core, as a noisy neighbour (bounded by a timeout too).
hog_start() {
  start hog timeout 600 taskset -c "$(( $(nproc) - 1 ))" sh -c 'while :; do :; done'
  HOG_PID=$STARTED
}
hog_stop() { stop_pid "$HOG_PID"; }
