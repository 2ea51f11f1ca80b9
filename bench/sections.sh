# The measurements of bench/run.sh (sourced, not run). Each fills R[...] for the table; see BENCHMARKS.md.

# 1. Ingest: the engine (pipeline running behind it) against the reference endpoint, then at half its rate ------------
ingest() {  # ingest NAME BODIES EVENTS BYTES WARM_BODIES
  local name=$1 file=$WORK/$1.txt warm=$WORK/$1-warm.txt line delay states tp
  gen --out "$file" --bodies "$2" --events "$3" --bytes "$4"
  gen --out "$warm" --bodies "$5" --events "$3" --bytes "$4"
  R[$name.size]=$(head -1 "$file" | cut -f2 | wc -c)

  start_engine "ingest-$name" "$FAKE_URL"
  wrk_warm "$ENGINE_URL/webhooks/line" "$warm"; wait_settled 120 || true
  thread_ticks "$ENGINE_PID" >"$WORK/before"
  thread_states "$ENGINE_PID" sqlite-writer "$DURATION" >"$WORK/states" & states=$!
  line=$(wrk_run "$ENGINE_URL/webhooks/line" "$file")
  thread_ticks "$ENGINE_PID" >"$WORK/after"
  wait "$states" || true
  R[$name.engine.rps]=$(field rps "$line") R[$name.engine.p50]=$(field p50_ms "$line") R[$name.engine.p99]=$(field p99_ms "$line")
  R[$name.engine.threads]=$(thread_cpu_diff "$WORK/before" "$WORK/after" "$DURATION")
  log "$name engine max: $line"
  log "$name engine sqlite-writer states: $(cat "$WORK/states")"
  log "$name engine threads (% of a core): ${R[$name.engine.threads]}"
  log "$name engine background during the run: split $(metric 'botengine_events_total{channel="line",result="received"}') events, done $(metric 'botengine_events_total{channel="line",result="done"}')"
  stop_engine

  reference "$name-max"
  wrk_warm "$REF_URL/webhooks/line" "$warm"
  line=$(wrk_run "$REF_URL/webhooks/line" "$file")
  R[$name.ref.rps]=$(field rps "$line") R[$name.ref.p50]=$(field p50_ms "$line") R[$name.ref.p99]=$(field p99_ms "$line")
  log "$name reference max: $line"
  stop_pid "$REF_PID"

  start "bare-$name" dotnet "$BIN/BareKestrel/BareKestrel.dll" --Urls="$REF_URL"; REF_PID=$STARTED
  wait_http "$REF_URL/healthz" 30
  wrk_warm "$REF_URL/webhooks/line" "$warm"
  line=$(wrk_run "$REF_URL/webhooks/line" "$file")
  R[$name.bare.rps]=$(field rps "$line")
  log "$name bare Kestrel max: $line"
  stop_pid "$REF_PID"

  line=$(dotnet "$BIN/RawSqlite/RawSqlite.dll" --dir "$WORK/raw-$name" --body-bytes "${R[$name.size]}" --batch "$CONNECTIONS" \
    --seconds "$DURATION" | grep '^RESULT')
  R[$name.raw.rps]=$(field rows_per_s "$line")
  log "$name raw sqlite (batch $CONNECTIONS): $line"
  rm -rf "$WORK/raw-$name"

  # Half of the reference's maximum, the same offered load for both: each connection waits DELAY ms after each
  # answer (wrk has no -R; wrk2 is not packaged), so the offered rate is about CONNECTIONS * 1000 / (DELAY + latency).
  delay=$(awk -v c="$CONNECTIONS" -v r="${R[$name.ref.rps]}" 'BEGIN { d = int(c * 1000 / (r / 2)); print (d < 1 ? 1 : d) }')
  reference "$name-half"
  wrk_warm "$REF_URL/webhooks/line" "$warm"
  line=$(wrk_run "$REF_URL/webhooks/line" "$file" "$delay")
  R[$name.ref.half.rps]=$(field rps "$line") R[$name.ref.half.p99]=$(field p99_ms "$line")
  log "$name reference at half load (delay $delay ms): $line"
  stop_pid "$REF_PID"

  start_engine "ingest-$name-half" "$FAKE_URL"
  wrk_warm "$ENGINE_URL/webhooks/line" "$warm"; wait_settled 120 || true
  line=$(wrk_run "$ENGINE_URL/webhooks/line" "$file" "$delay")
  R[$name.engine.half.rps]=$(field rps "$line") R[$name.engine.half.p99]=$(field p99_ms "$line")
  log "$name engine at half load (delay $delay ms): $line"
  stop_engine
}

reference() {  # reference LABEL: the reference endpoint on a fresh folder; sets REF_PID
  start "reference-$1" dotnet "$BIN/ReferenceIngest/ReferenceIngest.dll" --Urls="$REF_URL" --Secret="$SECRET" \
    --Dir="$(mktemp -d "$WORK/ref.XXXX")"
  REF_PID=$STARTED
  wait_http "$REF_URL/healthz" 30
}

# 2. End to end: the same load through the engine with its conversations and with the no-op baseline -----------------
sample_stages() {  # one line: ms webhooks_accepted events_split events_persisted events_done answers_accepted
  local persisted=0 f n   # journal rows of every conversation file (akka.db: builds before the shard files)
  for f in "$ENGINE_DATA"/conversations-*.db "$ENGINE_DATA"/akka.db; do
    [[ -f $f ]] || continue
    n=$(sqlite3 -readonly "file:$f?mode=ro" 'SELECT count(*) FROM journal;' 2>/dev/null || echo 0)
    persisted=$((persisted + ${n:-0}))
  done
  echo "$(( $(date +%s%N) / 1000000 )) $(metric 'botengine_webhooks_total{channel="line",result="accepted"}') \
$(metric 'botengine_events_total{channel="line",result="received"}') ${persisted:-0} \
$(metric 'botengine_events_total{channel="line",result="done"}') $(curl -s "$FAKE_URL/count")"
}

# Per stage: the best rate over any 1 s window (the stage running unstarved), and when all N had passed it.
stage_rates() {  # stage_rates BASE_LINE FILE N
  local b0 b1 b2 b3 b4 b5
  read -r b0 b1 b2 b3 b4 b5 <<<"$1"
  awk -v b1="$b1" -v b2="$b2" -v b3="$b3" -v b4="$b4" -v b5="$b5" -v n="$3" '
    { t[NR] = $1; v[NR,1] = ($2 - b1) * 100; v[NR,2] = $3 - b2; v[NR,3] = $4 - b3; v[NR,4] = $5 - b4; v[NR,5] = $6 - b5 }
    END {
      split("ingest(events) split persist done answered", name, " ")
      for (s = 1; s <= 5; s++) {
        best = 0; fin = "-"
        for (i = 1; i <= NR; i++) {
          for (j = i + 1; j <= NR && t[j] - t[i] < 1000; j++) ;
          if (j <= NR) { r = (v[j,s] - v[i,s]) * 1000 / (t[j] - t[i]); if (r > best) best = r }
          if (fin == "-" && v[i,s] >= n) fin = sprintf("%.1fs", (t[i] - t[1]) / 1000)
        }
        printf "%s=%.0f/s(all_by_%s) ", name[s], best, fin
      }
    }' "$2"
}

e2e_round() {  # e2e_round FILE: posts it 8 bodies at a time; prints events/s from the first post to the last answer
  local line
  line=$(post --file "$1" --concurrency 8 --count-url "$FAKE_URL/count" --expect "$E2E_EVENTS" --timeout 300 | grep '^RESULT')
  log "e2e $rt $(basename "$1"): $line"
  awk -v n="$(field accepted "$line")" -v ms="$(field accepted_ms "$line")" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'
}

e2e() {
  local rt base sampler secs
  gen --out "$WORK/e2e.txt" --bodies $((E2E_EVENTS / 100)) --events 100 --bytes 0 --seed e2e
  gen --out "$WORK/e2e-again.txt" --bodies $((E2E_EVENTS / 100)) --events 100 --bytes 0 --seed e2e
  gen --out "$WORK/e2e-warm.txt" --bodies 10 --events 10 --bytes 0
  # LINE's 2,000 requests/s per endpoint (1,800 kept) would cap both rounds at 1,800 events/s whatever the engine
  # does: the fake API has no limit, so the engine's is lifted to measure the pipeline (--e2e-line-rate).
  for rt in NoOp Akka; do
    start_engine "e2e-$rt" "$FAKE_URL" --BotEngine:Conversations="$rt" --Channels:Line:RequestsPerSecond="$E2E_LINE_RATE"
    post --file "$WORK/e2e-warm.txt" --concurrency 4 --count-url "$FAKE_URL/count" --expect 100 --timeout 60 >/dev/null
    base=$(sample_stages); : >"$WORK/stages"
    ( for _ in $(seq 1200); do sample_stages >>"$WORK/stages"; sleep 0.25; done ) & sampler=$!; PIDS+=("$sampler")
    thread_ticks "$ENGINE_PID" >"$WORK/before"; secs=$SECONDS
    R[e2e.$rt.new]=$(e2e_round "$WORK/e2e.txt")
    thread_ticks "$ENGINE_PID" >"$WORK/after"
    R[e2e.$rt.threads]=$(thread_cpu_diff "$WORK/before" "$WORK/after" $((SECONDS - secs)))
    stop_pid "$sampler"
    cp "$WORK/stages" "$OUT/e2e-stages-$rt.txt"
    R[e2e.$rt.stages]=$(stage_rates "$base" "$WORK/stages" "$E2E_EVENTS")
    # Round 2: the same users again while their conversations are live (idle timeout 2 min): no start, no recovery.
    R[e2e.$rt.live]=$(e2e_round "$WORK/e2e-again.txt")
    log "e2e $rt: new ${R[e2e.$rt.new]}/s, live ${R[e2e.$rt.live]}/s; stages ${R[e2e.$rt.stages]}; threads ${R[e2e.$rt.threads]}"
    stop_engine
  done
}

# 3. The burst: 5,000 new users x 1 message in 50 bodies posted at once to a fresh engine, API answering at 200 ms ------
BURST_LINES=()
burst_run() {  # burst_run MODE RUN HOG(0|1)
  local mode=$1 run=$2 hog=$3 label line all200 p99 last asks stalls lag sends key=burst.$1.$3
  label=$([[ $hog == 1 ]] && echo "hog-$run" || echo "burst-$mode-$run")
  start_engine "$label" "$SLOW_URL" --Channels:Line:DeliveryMode="$mode"
  [[ $hog == 1 ]] && hog_start
  line=$(post --file "$WORK/burst.txt" --concurrency 50 --count-url "$SLOW_URL/count" --expect 5000 --timeout 150 | grep '^RESULT' || true)
  [[ $hog == 1 ]] && hog_stop
  all200=$(field all200_ms "$line") p99=$(field p99_ms "$line") last=$(field accepted_ms "$line")
  # The API's side: requests arrived / answers accepted per 100 ms from the first post (kept for the burst's timeline).
  curl -s "$SLOW_URL/timeline?since=$(field start_unix_ms "$line")&bucket=100" >"$OUT/timeline-$label.txt" || true
  # The engine's side from its queue: events done (the answer accepted, the event marked done) per 100 ms.
  sqlite3 "$ENGINE_DATA/queue.db" "SELECT (done_at - $(field start_unix_ms "$line")) / 100 * 100 AS b, count(*) FROM events
    WHERE done_at IS NOT NULL GROUP BY b ORDER BY b;" 2>/dev/null | tr '|' ' ' >"$OUT/done-$label.txt" || true
  sends=$(awk 'NR == 1 { f = $1 } $2 > 0 { l = $1 } END { printf "first send %s ms, last send %s ms", f, l + 100 }' "$OUT/timeline-$label.txt")
  sends+=$(awk 'NR == 1 { f = $1 } { l = $1 } END { printf ", events done %s-%s ms", f, l + 100 }' "$OUT/done-$label.txt")
  [[ $(field accepted "$line") == 5000 ]] || last=999999   # not all answered within the timeout
  asks=$(grep -c 'AskTimeoutException' "$ENGINE_LOG" || true)
  stalls=$(metric botengine_threadpool_stalls_total) lag=$(metric botengine_threadpool_max_lag_seconds 2)
  # The engine's CPU time (user + system) from ready to here: on a loaded machine a steadier figure than the times.
  sends+=", engine CPU $(awk -v hz="$(getconf CLK_TCK)" -v r="$ENGINE_READY_CPU_MS" '{ print int(($14 + $15) * 1000 / hz) - r }' /proc/"$ENGINE_PID"/stat) ms"
  stop_engine
  R[$key.all200]=$(maxof "${R[$key.all200]:-0}" "${all200:-999999}")
  R[$key.p99]=$(maxof "${R[$key.p99]:-0}" "${p99:-999999}")
  R[$key.last]=$(maxof "${R[$key.last]:-0}" "$last")
  R[$key.asks]=$(( ${R[$key.asks]:-0} + asks ))
  BURST_LINES+=("  $label: first 200 $(field first200_ms "$line") ms, all 200s ${all200:-?} ms (p99 ${p99:-?}), $sends, last answer $last ms, Ask timeouts $asks, pool stalls $stalls (max lag $lag s), load $(cut -d' ' -f1 /proc/loadavg)")
  log "${BURST_LINES[-1]}"
}

# 4. Memory after many distinct conversations ------------------------------------------------------------------------
rss() {
  local line
  gen --out "$WORK/rss.txt" --bodies $((RSS_CONVERSATIONS / 100)) --events 100 --bytes 0
  start_engine rss "$FAKE_URL" --BotEngine:ConversationIdleTimeout=00:00:05
  R[rss.start]=$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$ENGINE_PID"/status)
  line=$(post --file "$WORK/rss.txt" --concurrency 8 --count-url "$FAKE_URL/count" --expect "$RSS_CONVERSATIONS" --timeout 900 | grep '^RESULT')
  log "rss: $line"
  wait_settled 120 || true
  sleep 15   # idle timeout (5 s) for the last actors to passivate, plus margin
  R[rss.mb]=$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$ENGINE_PID"/status)
  R[rss.hwm]=$(awk '/VmHWM/ { print int($2 / 1024) }' /proc/"$ENGINE_PID"/status)
  log "rss: start ${R[rss.start]} MB, after $RSS_CONVERSATIONS conversations and settling ${R[rss.mb]} MB, peak ${R[rss.hwm]} MB"
  stop_engine
}

# 5. Start-up: exec to the first 200 on /healthz, fresh data folder each time; the reference endpoint as baseline ------
startup() {
  local times=() cpus=() refs=() rss=() i begin
  start_engine startup-0 "$FAKE_URL"   # uncounted: the first run of the binary extracts its native library
  for i in $(seq "$STARTUP_RUNS"); do
    start_engine "startup-$i" "$FAKE_URL"
    times+=("$ENGINE_READY_MS") cpus+=("$ENGINE_READY_CPU_MS")
    sleep 3
    rss+=("$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$ENGINE_PID"/status)")
    stop_engine
    begin=$(date +%s%N)
    reference "startup-$i"
    refs+=("$(( ($(date +%s%N) - begin) / 1000000 ))")
    stop_pid "$REF_PID"
  done
  R[startup.ms]=$(median "${times[@]}") R[startup.all]="${times[*]}"
  R[startup.cpu]=$(median "${cpus[@]}") R[startup.cpu.all]="${cpus[*]}"
  R[startup.ref]=$(median "${refs[@]}") R[startup.ref.all]="${refs[*]}" R[startup.rss]=$(median "${rss[@]}")
  log "startup: engine ${R[startup.all]} ms (median ${R[startup.ms]}; CPU at ready ${R[startup.cpu.all]} ms," \
    "median ${R[startup.cpu]}), reference ${R[startup.ref.all]} ms, idle RSS ${R[startup.rss]} MB"
}
