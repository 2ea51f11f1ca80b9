#!/usr/bin/env bash
# Packaging figures of the single-file binary: size, exec → first 200 on /healthz (median of N cold starts, each on
# a fresh data folder, from another working directory), and idle RSS 3 s after ready. Loopback only; bounded.
#   bash bench/startup.sh [RUNS]      (default 7; publishes linux-x64 first)
set -euo pipefail
RUNS=${1:-7}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PUB=$ROOT/bench/results/bin/engine
PORT=18790
WORK=$(mktemp -d /tmp/botstart.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export DOTNET_BUNDLE_EXTRACT_BASE_DIR=$WORK/extract MALLOC_ARENA_MAX=2

dotnet publish "$ROOT/BotEngine" -c Release -r linux-x64 -o "$PUB" -v q -nologo >/dev/null
echo "binary: $(du -b "$PUB/botengine" | cut -f1) bytes; publish folder: $(ls "$PUB" | tr '\n' ' ')"

times=() rss=()
for run in $(seq 0 "$RUNS"); do   # run 0 extracts the native library once: a warm-up, not counted
  data=$WORK/data$run
  cd "$WORK"
  start=$(date +%s%N)
  "$PUB/botengine" --Urls="http://127.0.0.1:$PORT" --BotEngine:DataDirectory="$data" >"$WORK/log$run" 2>&1 &
  pid=$!
  for _ in $(seq 3000); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz" || true) == 200 ]] && break
    sleep 0.005
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 3
  kb=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  kill -TERM "$pid"; wait "$pid" || true
  if (( run > 0 )); then times+=("$ms"); rss+=("$kb"); fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
echo "cold start to first 200 on /healthz: median $(median "${times[@]}") ms (runs: ${times[*]})"
echo "idle RSS 3 s after ready: median $(( $(median "${rss[@]}") / 1024 )) MB"
