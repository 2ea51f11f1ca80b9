#!/usr/bin/env bash
# End-to-end events/s of BotEngine in cluster mode with 1, 2 and 3 engine processes sharing one PostgreSQL, against the
# single SQLite engine measured in the same run (BENCHMARKS.md, "Cluster"). Run by hand:  bash bench/cluster.sh [options]
#   --events N     events per round (default 20000, in bodies of 100; the bodies go round-robin to the nodes)
#   --nodes LIST   cluster sizes (default 1,2,3)
#   --port-base P  first of the loopback ports used (default 18800; HTTP P.., Akka P+10.., fake LINE P+20)
# Needs Debian's postgresql package (a private server is started with initdb in a temp folder, fsync on, defaults
# otherwise; as root it runs as the postgres user via runuser). Results: printed and kept in bench/results/<timestamp>/.
set -euo pipefail
export LC_ALL=C

EVENTS=20000 NODES=1,2,3 PORT_BASE=18800
while [[ $# -gt 0 ]]; do
  case "$1" in
    --events) EVENTS=$2; shift 2 ;;
    --nodes) NODES=$2; shift 2 ;;
    --port-base) PORT_BASE=$2; shift 2 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
OUT=$BENCH/results/cluster-$(date +%Y%m%d-%H%M%S)
BIN=$BENCH/results/bin
WORK=$(mktemp -d /tmp/botcluster.XXXXXX)
mkdir -p "$OUT" "$BIN"
mkfifo "$WORK/nap"; exec 9<>"$WORK/nap"
SECRET=bench-channel-secret ENGINE_ARGS=() PIDS=()
FAKE_URL=http://127.0.0.1:$((PORT_BASE + 20)) ENGINE_URL=http://127.0.0.1:$PORT_BASE
source "$BENCH/lib.sh"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x $PG_BIN/initdb ]] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
as_pg() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_DIR=$(as_pg mktemp -d /tmp/botcluster-pg.XXXXXX) PG_PORT=$((PORT_BASE + 30))
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PG_DIR"; }
trap 'cleanup; pg_stop' EXIT
trap 'exit 143' INT TERM

log "results in $OUT; $(nproc) cores; PostgreSQL $(basename "$(dirname "$PG_BIN")")"
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$OUT/initdb.log"
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"

case $(uname -m) in aarch64) RID=linux-arm64 ;; *) RID=linux-x64 ;; esac
log "building (published Release engine, $RID)"
dotnet publish "$ROOT/BotEngine" -c Release -r "$RID" -o "$BIN/engine" -v q -nologo >"$OUT/build.log" 2>&1
for p in FakeLine BodyGen; do dotnet build "$BENCH/$p" -c Release -o "$BIN/$p" -v q -nologo >>"$OUT/build.log" 2>&1; done
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=$WORK/extract
start fakeline dotnet "$BIN/FakeLine/FakeLine.dll" --Urls="$FAKE_URL"
wait_http "$FAKE_URL/count" 30
gen --out "$WORK/events.txt" --bodies $((EVENTS / 100)) --events 100 --bytes 0 --seed cluster
gen --out "$WORK/warm.txt" --bodies 10 --events 10 --bytes 0

# run_round LABEL N: posts the bodies round-robin to N engines at once; prints events/s from first post to last answer.
run_round() {
  local n=$1 i pids=() ms max=0
  for ((i = 0; i < n; i++)); do
    awk -v n="$n" -v i="$i" 'NR % n == i' "$WORK/events.txt" >"$WORK/part-$i.txt"
    dotnet "$BIN/BodyGen/BodyGen.dll" post --url "http://127.0.0.1:$((PORT_BASE + i))/webhooks/line" --file "$WORK/part-$i.txt" \
      --concurrency 8 --count-url "$FAKE_URL/count" --expect "$EVENTS" --timeout 600 >"$WORK/post-$i.txt" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}"; done
  for ((i = 0; i < n; i++)); do
    ms=$(field accepted_ms "$(grep '^RESULT' "$WORK/post-$i.txt")")
    awk -v a="$ms" -v b="$max" 'BEGIN { exit !(a > b) }' && max=$ms
    cat "$WORK/post-$i.txt" >>"$OUT/posts.log"
  done
  awk -v n="$EVENTS" -v ms="$max" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }'
}

start_node() {  # start_node I N DATABASE [more settings]
  local i=$1 n=$2 db=$3 j seeds=(); shift 3
  for ((j = 0; j < n; j++)); do seeds+=("--BotEngine:Cluster:SeedNodes:$j=127.0.0.1:$((PORT_BASE + 10 + j))"); done
  MALLOC_ARENA_MAX=2 start "engine-$n-$i" "$BIN/engine/botengine" --Urls="http://127.0.0.1:$((PORT_BASE + i))" \
    --BotEngine:DataDirectory="$(mktemp -d "$WORK/data.XXXX")" --Channels:Line:ChannelSecret="$SECRET" \
    --Channels:Line:ChannelAccessToken=bench --Channels:Line:ApiBaseUrl="$FAKE_URL" \
    --BotEngine:Storage=Postgres "--ConnectionStrings:Postgres=$PG;Database=$db" --BotEngine:Cluster:Enabled=true \
    --BotEngine:Cluster:Port=$((PORT_BASE + 10 + i)) --BotEngine:Cluster:NodeName="n$i" "${seeds[@]}" "$@"
  NODE_PIDS+=("$STARTED")
}

declare -A R
# Baseline: the single SQLite engine, same bodies, same fake API.
NODE_PIDS=()
MALLOC_ARENA_MAX=2 start engine-sqlite "$BIN/engine/botengine" --Urls="$ENGINE_URL" --BotEngine:DataDirectory="$(mktemp -d "$WORK/data.XXXX")" \
  --Channels:Line:ChannelSecret="$SECRET" --Channels:Line:ChannelAccessToken=bench --Channels:Line:ApiBaseUrl="$FAKE_URL"
NODE_PIDS+=("$STARTED")
wait_http "$ENGINE_URL/healthz" 60
post --file "$WORK/warm.txt" --concurrency 4 --count-url "$FAKE_URL/count" --expect 100 --timeout 60 >/dev/null
R[sqlite]=$(run_round 1)
log "SQLite, 1 process: ${R[sqlite]} events/s"
for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done

for n in ${NODES//,/ }; do
  db=c$n
  as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $db" postgres
  NODE_PIDS=()
  start_node 0 "$n" "$db"
  wait_http "http://127.0.0.1:$PORT_BASE/healthz" 60
  for ((i = 1; i < n; i++)); do start_node "$i" "$n" "$db"; done
  for ((i = 0; i < n; i++)); do
    deadline=$((SECONDS + 60))
    until curl -s "http://127.0.0.1:$((PORT_BASE + i))/healthz" | grep -q "cluster: $n up"; do
      ((SECONDS < deadline)) || { log "node $i: cluster of $n not up within 60 s"; exit 1; }
      nap 0.2
    done
  done
  post --file "$WORK/warm.txt" --concurrency 4 --count-url "$FAKE_URL/count" --expect 100 --timeout 60 >/dev/null
  R[$n]=$(run_round "$n")
  log "Postgres cluster, $n node(s): ${R[$n]} events/s ($(ratio "${R[$n]}" "${R[1]:-${R[$n]}}") x 1 node, $(ratio "${R[$n]}" "${R[sqlite]}") x SQLite)"
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid"; done
done

{
  echo "events per round: $EVENTS; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "SQLite, 1 process: ${R[sqlite]} events/s"
  for n in ${NODES//,/ }; do
    echo "Postgres cluster, $n node(s): ${R[$n]} events/s; vs 1 node $(ratio "${R[$n]}" "${R[1]:-${R[$n]}}"); vs SQLite $(ratio "${R[$n]}" "${R[sqlite]}")"
  done
} | tee "$OUT/summary.txt"
