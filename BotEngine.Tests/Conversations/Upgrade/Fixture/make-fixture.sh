#!/usr/bin/env bash
# Writes akka.db and expected.json of this folder with an engine build from BEFORE the owned persisted format
# (git commit dacf413, Akka's default Newtonsoft JSON serializer). Run by hand, once; the files are committed.
#   git -C <repo> archive dacf413 | tar -x -C /tmp/oldbuild
#   bash make-fixture.sh /tmp/oldbuild
# Needs the .NET SDK, curl, openssl, sqlite3. Everything runs on loopback ports 18790-18791.
set -euo pipefail
OLD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d /tmp/fixture.XXXXXX)
SECRET=fixture-channel-secret
ENGINE=http://127.0.0.1:18790 FAKE=http://127.0.0.1:18791
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

dotnet build "$OLD/BotEngine" -c Release -v q >/dev/null
dotnet build "$OLD/bench/FakeLine" -c Release -v q >/dev/null
mkdir -p "$WORK/data/flows"
cp "$HERE/flows/booking.json" "$WORK/data/flows/"

dotnet "$OLD/bench/FakeLine/bin/Release/net10.0/FakeLine.dll" --Urls=$FAKE >"$WORK/fake.log" 2>&1 &
PIDS+=($!)
(cd "$WORK" && exec dotnet "$OLD/BotEngine/bin/Release/net10.0/botengine.dll" --Urls=$ENGINE \
  --BotEngine:DataDirectory="$WORK/data" --Channels:Line:ChannelSecret=$SECRET \
  --Channels:Line:ChannelAccessToken=fixture --Channels:Line:ApiBaseUrl=$FAKE) >"$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
PIDS+=($ENGINE_PID)
for _ in $(seq 300); do curl -sf "$ENGINE/healthz" >/dev/null && break; sleep 0.1; done

metric() { curl -s "$ENGINE/metrics" | awk -v k="$1" 'index($0, k" ") == 1 { v = $2 } END { print v + 0 }'; }
settle() {
  for _ in $(seq 600); do
    (( $(metric 'botengine_queue_depth{state="pending"}') + $(metric 'botengine_queue_depth{state="claimed"}') == 0 )) && return
    sleep 0.1
  done
  echo "queue did not settle" >&2; exit 1
}
dev() { curl -sf -o /dev/null -H 'Content-Type: application/json' -d "{\"user\":\"$1\",\"$2\":\"$3\"}" "$ENGINE/dev/api/messages"; settle; }
say() { local u=$1; shift; for t in "$@"; do dev "$u" text "$t"; done; }
n=0
line() {  # line USER TYPE VALUE: one signed LINE webhook with one text or postback event
  n=$((n + 1))
  local content
  case $2 in
    text) content="\"message\":{\"type\":\"text\",\"id\":\"$((500000000 + n))\",\"text\":\"$3\"}" ;;
    postback) content="\"postback\":{\"data\":\"$3\"}" ;;
    follow) content="\"follow\":{\"isUnblocked\":false}" ;;
  esac
  local type=$2; [[ $type == text ]] && type=message
  local body="{\"destination\":\"U0123456789abcdef0123456789abcdef\",\"events\":[{\"type\":\"$type\",$content,\"webhookEventId\":\"01FIXTURE$(printf '%017d' $n)\",\"deliveryContext\":{\"isRedelivery\":false},\"timestamp\":$(date +%s%3N),\"source\":{\"type\":\"user\",\"userId\":\"$1\"},\"replyToken\":\"$(openssl rand -hex 16)\",\"mode\":\"active\"}]}"
  local sig; sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" -binary | base64)
  curl -sf -o /dev/null -H 'Content-Type: application/json' -H "X-Line-Signature: $sig" -d "$body" "$ENGINE/webhooks/line"
  settle
}

# Dev users: every message kind and timer command a flow sends.
say alice help book 2026-12-24 4; dev alice data booking=yes; say alice count          # quick replies, confirm, postback
say bob "remind me" help book                                                          # timers set (reminder, ask_date timeout)
say carol book 2026-05-31 2 maybe                                                      # waits in confirm
say dave menu; dev dave data remind=yes; say dave reset                                # buttons template, timer cancelled
for i in $(seq 110); do                                                                # > 100 events: a snapshot, then events
  case $((i % 6)) in 0) say erin help ;; 1) say erin count ;; 2) say erin ping ;; 3) say erin book ;;
    4) say erin "2026-0$((i % 9 + 1))-1$((i % 10))" ;; 5) say erin 3 ;; esac
done
# LINE users (signed webhooks): a follow with quick replies, a confirm answered by postback, timers.
U1=U11111111111111111111111111111111 U2=U22222222222222222222222222222222
line $U1 follow; line $U1 text help; line $U1 text book; line $U1 text 2026-12-24; line $U1 text 2
line $U1 postback booking=no
line $U2 text count; line $U2 text count; line $U2 text "remind me"

# What each conversation holds, as the old engine reports it (dev users), for the upgrade test.
{
  echo '{'
  for u in alice bob carol dave erin; do
    echo "\"$u\": $(curl -sf "$ENGINE/dev/api/conversations/$u"),"
  done
  echo "\"answers\": $(curl -sf "$FAKE/count")"
  echo '}'
} >"$WORK/expected.json"

kill -TERM $ENGINE_PID; wait $ENGINE_PID || true
sqlite3 "$WORK/data/akka.db" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
cp "$WORK/data/akka.db" "$HERE/akka.db"
cp "$WORK/expected.json" "$HERE/expected.json"
sqlite3 "$HERE/akka.db" "SELECT persistence_id, COUNT(*), MAX(sequence_number) FROM journal GROUP BY 1;
  SELECT persistence_id, sequence_number FROM snapshot;"
echo "written: $HERE/akka.db ($(stat -c %s "$HERE/akka.db") bytes), $HERE/expected.json"
rm -rf "$WORK"
