#!/usr/bin/env bash
# The VPS check of the README, end to end under a real systemd, on a machine that has none running (CI, a
# container): a fresh Debian 12 root (debootstrap) booted with systemd-nspawn, the repo's install.sh run inside, the
# service started, webhooks posted while `systemctl restart botengine` runs, and every event answered exactly once by
# a loopback stand-in for LINE. Root only; loopback only (the container shares the host's network); bounded.
#   sudo bash deploy/check-under-systemd.sh [ROUNDS]     (default 60 bodies of 20 events; about 5 min the first time)
set -euo pipefail

ROUNDS=${1:-60}
USERS=20
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BOTENGINE_CHECK_DIR:-/var/tmp/botengine-systemd-check}
VPS=$WORK/rootfs
FAKE_PORT=18702
ENGINE=http://127.0.0.1:8080
LEADER=""
NSPAWN_PID=""
FAKE_PID=""

say() { echo "==> $*"; }
die() { echo "check-under-systemd: $*" >&2; exit 1; }
inside() { nsenter -t "$LEADER" -m -u -i -p -- "$@"; }

cleanup() {
  # SIGTERM to systemd-nspawn shuts the container down cleanly (it asks the container's systemd to halt).
  [[ -n $NSPAWN_PID ]] && kill -TERM "$NSPAWN_PID" 2>/dev/null || true
  [[ -n $FAKE_PID ]] && kill -TERM "$FAKE_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

((EUID == 0)) || die "run as root (debootstrap, systemd-nspawn and nsenter need it)"
if ! command -v debootstrap >/dev/null || ! command -v systemd-nspawn >/dev/null; then
  say "apt-get install debootstrap systemd-container"
  apt-get update -qq && apt-get install -y -qq debootstrap systemd-container curl python3 >/dev/null
fi
ss -ltn "sport = :8080" | grep -q LISTEN && die "port 8080 is taken on this machine; the container shares its network"

mkdir -p "$WORK"
if [[ ! -x $VPS/usr/lib/systemd/systemd ]]; then
  say "debootstrap Debian 12 into $VPS"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,iproute2 bookworm "$VPS" \
    http://deb.debian.org/debian >"$WORK/debootstrap.log"
fi

say "publish the binary and the loopback LINE stand-in"
dotnet publish "$ROOT/BotEngine" -c Release -r linux-x64 -o "$WORK/publish" -v q -nologo >/dev/null
dotnet build "$ROOT/bench/FakeLine" -c Release -o "$WORK/fakeline" -v q -nologo >/dev/null
dotnet "$WORK/fakeline/FakeLine.dll" --Urls="http://127.0.0.1:$FAKE_PORT" >"$WORK/fakeline.log" 2>&1 &
FAKE_PID=$!

say "boot the container"
rm -rf "$VPS/root/botengine" && git clone -q "$ROOT" "$VPS/root/botengine"
install -m 755 "$WORK/publish/botengine" "$VPS/root/botengine-binary"
setsid systemd-nspawn -D "$VPS" -b --machine=botengine-check --register=no --keep-unit --console=passive \
  >"$WORK/nspawn.log" 2>&1 &
NSPAWN_PID=$!
for _ in $(seq 100); do
  LEADER=$(pgrep -P "$NSPAWN_PID" -n || true)
  [[ -n $LEADER ]] && inside systemctl is-system-running 2>/dev/null | grep -qE 'running|degraded' && break
  sleep 0.2
done
[[ -n $LEADER ]] || die "the container's systemd did not come up (see $WORK/nspawn.log)"

say "install.sh inside, secrets, start"
inside bash -c 'cd /root/botengine && ./install.sh --binary /root/botengine-binary' >"$WORK/install.log"
inside bash -c "cat >> /etc/botengine/botengine.env" <<EOF
Channels__Line__ChannelSecret=systemd-check-secret
Channels__Line__ChannelAccessToken=systemd-check-token
Channels__Line__ApiBaseUrl=http://127.0.0.1:$FAKE_PORT
EOF
started=$(date +%s%N)
inside systemctl start botengine || { inside journalctl -u botengine --no-pager | tail -20; die "start failed"; }
echo "    systemctl start returned after $(( ($(date +%s%N) - started) / 1000000 )) ms (Type=notify: READY=1 received)"
curl -sf "$ENGINE/healthz" >/dev/null || die "/healthz is not 200 after start"

say "post $ROUNDS bodies of $USERS events; systemctl restart botengine after a third of them"
curl -s -X POST "http://127.0.0.1:$FAKE_PORT/reset" >/dev/null
python3 - "$ROUNDS" "$USERS" "$LEADER" <<'PY'
import base64, hashlib, hmac, json, subprocess, sys, threading, time, urllib.error, urllib.request, uuid
rounds, users, leader = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
secret, url = b"systemd-check-secret", "http://127.0.0.1:8080/webhooks/line"
ids = ["U" + uuid.uuid4().hex for _ in range(users)]
restart = threading.Thread(target=lambda: subprocess.run(
    ["nsenter", "-t", leader, "-m", "-u", "-i", "-p", "--", "systemctl", "restart", "botengine"], check=True))
answers = {}
for r in range(rounds):
    if r == rounds // 3:
        restart.start()
    events = [{"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
               "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
               "replyToken": uuid.uuid4().hex, "source": {"type": "user", "userId": u},
               "message": {"id": str(r), "type": "text", "quoteToken": "q", "text": "count"}} for u in ids]
    body = json.dumps({"destination": "U" + "0" * 32, "events": events}).encode()
    signature = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    for _ in range(600):  # LINE retries a webhook that did not get a 200; so does this loop, for up to 30 s
        try:
            request = urllib.request.Request(url, data=body, headers={"X-Line-Signature": signature})
            status = urllib.request.urlopen(request, timeout=5).status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError:
            status = "refused"
        answers[status] = answers.get(status, 0) + 1
        if status == 200:
            break
        time.sleep(0.05)
    else:
        sys.exit(f"round {r} never got a 200")
restart.join()
print(f"    webhook answers: {answers}")
PY

expected=$((ROUNDS * USERS))
for _ in $(seq 120); do
  accepted=$(curl -s "http://127.0.0.1:$FAKE_PORT/count")
  ((accepted >= expected)) && break
  sleep 0.5
done
sleep 3   # a duplicate would arrive after the last expected answer
accepted=$(curl -s "http://127.0.0.1:$FAKE_PORT/count")
inside journalctl -u botengine --no-pager >"$WORK/journal.log"
grep -E "Started|Stopping|in flight" "$WORK/journal.log" | sed 's/^/    /'
((accepted == expected)) || die "expected $expected answers, the stand-in accepted $accepted (journal: $WORK/journal.log)"
say "ok: $expected events, $accepted answers accepted, across a systemctl restart"
