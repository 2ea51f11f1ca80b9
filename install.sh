#!/usr/bin/env bash
# Installs BotEngine as a systemd service (README "Deploy on a VPS"). Run ./install.sh --help.
set -euo pipefail

readonly SERVICE=botengine
readonly SERVICE_USER=botengine
readonly BIN_DIR=/opt/botengine
readonly CONF_DIR=/etc/botengine
readonly DATA_DIR=/var/lib/botengine
readonly CACHE_DIR=/var/cache/botengine
readonly UNIT_DIR=/etc/systemd/system
REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly REPO_DIR

usage() {
  cat <<EOF
Usage: sudo ./install.sh [options]

Publishes BotEngine as a self-contained single-file binary and installs it as the systemd service
'${SERVICE}'. Safe to run again to upgrade: the config and the secrets file are kept.

  binary   ${BIN_DIR}/botengine (appsettings.json beside it links to the config)
  config   ${CONF_DIR}/appsettings.json   (kept on upgrade)
  secrets  ${CONF_DIR}/botengine.env      (mode 600, kept on upgrade, never printed)
  data     ${DATA_DIR}              (owned by user '${SERVICE_USER}')
  unit     ${UNIT_DIR}/${SERVICE}.service (from deploy/botengine.service)

Options:
  --binary PATH   install this already published binary instead of running 'dotnet publish'
  --rid RID       runtime to publish for (default: from uname -m, linux-x64 or linux-arm64)
  --root DIR      install into DIR as if it were /; no useradd, chown or systemctl (listed as skipped)
  --dry-run       print every action and change nothing
  --uninstall     stop and remove the service and the binary; keep the config and the data
  --purge         with --uninstall: also remove the config, the secrets, the data and the user
  -h, --help      show this help
EOF
}

die() { echo "install.sh: error: $*" >&2; exit 1; }
warn() { echo "install.sh: warning: $*" >&2; }
say() { echo "==> $*"; }

ROOT=""
BINARY=""
RID=""
DRY_RUN=false
UNINSTALL=false
PURGE=false

while (($# > 0)); do
  case "$1" in
    --binary) (($# >= 2)) || die "--binary needs a path"; BINARY=$2; shift 2 ;;
    --binary=*) BINARY=${1#*=}; shift ;;
    --rid) (($# >= 2)) || die "--rid needs a runtime identifier"; RID=$2; shift 2 ;;
    --rid=*) RID=${1#*=}; shift ;;
    --root) (($# >= 2)) || die "--root needs a directory"; ROOT=$2; shift 2 ;;
    --root=*) ROOT=${1#*=}; shift ;;
    --dry-run) DRY_RUN=true; shift ;;
    --uninstall) UNINSTALL=true; shift ;;
    --purge) PURGE=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

if $PURGE && ! $UNINSTALL; then die "--purge only goes with --uninstall"; fi
if [[ -n $ROOT ]]; then
  [[ $ROOT == /* ]] || ROOT="$PWD/$ROOT"
  ROOT=${ROOT%/}
  [[ -n $ROOT ]] || die "--root / is the normal install; leave --root out"
fi
PUBLISH_DIR=""
trap '[[ -z $PUBLISH_DIR ]] || rm -rf "$PUBLISH_DIR"' EXIT
SYSTEM=true # false: --root, so no users, owners or systemctl
[[ -z $ROOT ]] || SYSTEM=false

# --- actions: printed always, run unless --dry-run ------------------------------------------------------------

# Quoted so a printed action can be pasted back into a shell.
show() { printf '%q ' "$@" | sed 's/ $//'; }

run() {
  echo "  + $(show "$@")"
  $DRY_RUN || "$@"
}

# Things only a real system install does (users, owners, systemctl); with --root they are listed, not done.
system_run() {
  if $SYSTEM; then run "$@"; else echo "  - skipped (--root): $(show "$@")"; fi
}

# write_file DEST MODE: writes stdin to DEST (under ROOT) with MODE, atomically.
write_file() {
  local dest=$1 mode=$2 tmp
  if $DRY_RUN; then
    cat >/dev/null
    echo "  + write $dest (mode $mode)"
    return
  fi
  echo "  + write $dest (mode $mode)"
  tmp=$(mktemp "$(dirname "$dest")/.install.XXXXXX")
  cat >"$tmp"
  chmod "$mode" "$tmp"
  mv -f "$tmp" "$dest"
}

# --- checks -----------------------------------------------------------------------------------------------------

check_root_and_systemd() {
  if $SYSTEM; then
    if ((EUID != 0)); then
      $DRY_RUN || die "run as root (sudo ./install.sh), or use --root DIR or --dry-run"
      warn "not root: a real run needs sudo"
    fi
    if ! command -v systemctl >/dev/null 2>&1 || [[ ! -d /run/systemd/system ]]; then
      $DRY_RUN || die "systemd is not running on this machine (no /run/systemd/system);" \
        "use --root DIR to only lay out the files"
      warn "systemd is not running here: a real run would stop"
    fi
  fi
}

detect_rid() {
  case "$(uname -m)" in
    x86_64 | amd64) echo linux-x64 ;;
    aarch64 | arm64) echo linux-arm64 ;;
    *) die "no published runtime for $(uname -m); pass --rid or --binary" ;;
  esac
}

# Ports named in the config's "Urls" (e.g. "http://127.0.0.1:8080;http://[::1]:8081").
config_ports() {
  local urls
  urls=$(sed -n -E 's/^[[:space:]]*"Urls"[[:space:]]*:[[:space:]]*"([^"]*)".*/\1/p' "$1" | head -n 1)
  tr ';' '\n' <<<"$urls" | sed -n -E 's#^[a-zA-Z]+://.*:([0-9]+)/?$#\1#p'
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    [[ -n $(ss -Hltn "sport = :$port" 2>/dev/null) ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

service_active() {
  $SYSTEM && systemctl is-active --quiet "$SERVICE.service" 2>/dev/null
}

check_ports() {
  local config=$1 port
  [[ -f $config ]] || return 0
  if service_active; then return 0; fi # upgrade: the port is ours
  for port in $(config_ports "$config"); do
    if port_in_use "$port"; then
      if $SYSTEM && ! $DRY_RUN; then
        die "port $port (Urls in $config) is already in use; stop what listens there or change Urls"
      fi
      warn "port $port (Urls in $config) is already in use on this machine"
    fi
  done
}

# --- install ----------------------------------------------------------------------------------------------------

publish() {
  local rid=${RID:-$(detect_rid)} out
  command -v dotnet >/dev/null 2>&1 ||
    die "dotnet not found: install the .NET SDK, or publish elsewhere and pass --binary PATH"
  if $DRY_RUN; then
    echo "  + dotnet publish $REPO_DIR/BotEngine -c Release -r $rid -o <temporary folder>"
    BINARY="<published botengine>"
    return
  fi
  out=$(mktemp -d)
  PUBLISH_DIR=$out
  say "Publishing for $rid"
  dotnet publish "$REPO_DIR/BotEngine" -c Release -r "$rid" -o "$out" || die "dotnet publish failed"
  BINARY=$out/botengine
}

first_config() {
  local source=$REPO_DIR/appsettings.json
  [[ -f $source ]] || source=$(dirname "$BINARY")/appsettings.json
  [[ -f $source ]] || die "no appsettings.json in $REPO_DIR or beside $BINARY"
  grep -q '"DataDirectory"' "$source" || die "$source has no BotEngine:DataDirectory to point at $DATA_DIR"
  sed -E "s#(\"DataDirectory\"[[:space:]]*:[[:space:]]*)\"[^\"]*\"#\1\"$DATA_DIR\"#" "$source"
}

env_template() {
  cat <<'EOF'
# BotEngine secrets, read by systemd (EnvironmentFile=). Keep this file mode 600.
# One KEY=value per line; '__' separates configuration sections. Restart after editing:
#   sudo systemctl restart botengine
#
# Channels__Line__ChannelSecret=
# Channels__Line__ChannelAccessToken=
# Channels__Telegram__BotToken=
# Channels__Telegram__SecretToken=
# Admin__Token=
EOF
}

render_unit() {
  sed -e '/^# Template:/d' -e "s#@USER@#$SERVICE_USER#g" -e "s#@BIN_DIR@#$BIN_DIR#g" \
    -e "s#@CONF_DIR@#$CONF_DIR#g" -e "s#@DATA_DIR@#$DATA_DIR#g" "$REPO_DIR/deploy/botengine.service"
}

install_all() {
  local config=$ROOT$CONF_DIR/appsettings.json env=$ROOT$CONF_DIR/botengine.env
  local unit=$ROOT$UNIT_DIR/$SERVICE.service was_active=false

  [[ -f $REPO_DIR/deploy/botengine.service ]] || die "missing unit template $REPO_DIR/deploy/botengine.service"
  if [[ -z $BINARY ]]; then publish; fi
  if ! $DRY_RUN || [[ -e $BINARY ]]; then
    [[ -f $BINARY ]] || die "binary not found: $BINARY"
    [[ -x $BINARY ]] || die "binary is not executable: $BINARY"
  fi
  if [[ -f $config ]]; then check_ports "$config"; else check_ports "$REPO_DIR/appsettings.json"; fi
  if service_active; then was_active=true; fi

  say "User $SERVICE_USER"
  if $SYSTEM && id -u "$SERVICE_USER" >/dev/null 2>&1; then
    echo "  = user $SERVICE_USER exists"
  else
    system_run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "BotEngine service" "$SERVICE_USER"
  fi

  say "Directories"
  run install -d -m 755 "$ROOT$BIN_DIR" "$ROOT$UNIT_DIR"
  run install -d -m 750 "$ROOT$CONF_DIR" "$ROOT$DATA_DIR" "$ROOT$CACHE_DIR"
  system_run chown "root:$SERVICE_USER" "$ROOT$CONF_DIR"
  system_run chown "$SERVICE_USER:$SERVICE_USER" "$ROOT$DATA_DIR" "$ROOT$CACHE_DIR"

  say "Binary $BIN_DIR/botengine"
  # Copy then rename: a running service keeps its old inode until the restart below.
  run install -m 755 "$BINARY" "$ROOT$BIN_DIR/.botengine.new"
  run mv -f "$ROOT$BIN_DIR/.botengine.new" "$ROOT$BIN_DIR/botengine"
  # The binary reads appsettings.json beside itself; a relative link also works under --root.
  run ln -sfn "../..$CONF_DIR/appsettings.json" "$ROOT$BIN_DIR/appsettings.json"

  say "Config $CONF_DIR/appsettings.json"
  if [[ -e $config ]]; then
    echo "  = kept (exists)"
  else
    first_config | write_file "$config" 640
    system_run chown "root:$SERVICE_USER" "$config"
  fi

  say "Secrets $CONF_DIR/botengine.env"
  if [[ -e $env ]]; then
    echo "  = kept (exists)"
    run chmod 600 "$env"
  else
    env_template | write_file "$env" 600
  fi

  say "Unit $UNIT_DIR/$SERVICE.service"
  render_unit | write_file "$unit" 644
  system_run systemctl daemon-reload
  system_run systemctl enable "$SERVICE.service"
  if $was_active; then
    system_run systemctl restart "$SERVICE.service"
  fi

  say "Done"
  if $DRY_RUN; then echo "(dry run: nothing was changed)"; fi
  if ! $was_active; then
    echo "Next: put the channel secrets in $CONF_DIR/botengine.env, then: sudo systemctl start $SERVICE"
  fi
}

# --- uninstall --------------------------------------------------------------------------------------------------

uninstall_all() {
  local unit=$ROOT$UNIT_DIR/$SERVICE.service
  say "Service $SERVICE"
  if ! $SYSTEM || [[ -e $unit ]]; then system_run systemctl disable --now "$SERVICE.service"; fi
  [[ ! -e $unit ]] || run rm -f "$unit"
  system_run systemctl daemon-reload
  say "Binary $BIN_DIR"
  [[ ! -e $ROOT$BIN_DIR && ! -L $ROOT$BIN_DIR/appsettings.json ]] || run rm -rf "$ROOT$BIN_DIR"
  if $PURGE; then
    say "Config, secrets, data and user (--purge)"
    run rm -rf "$ROOT$CONF_DIR" "$ROOT$DATA_DIR" "$ROOT$CACHE_DIR"
    if ! $SYSTEM || id -u "$SERVICE_USER" >/dev/null 2>&1; then system_run userdel "$SERVICE_USER"; fi
  else
    echo "  = kept $CONF_DIR and $DATA_DIR (add --purge to remove them)"
  fi
  say "Done"
  if $DRY_RUN; then echo "(dry run: nothing was changed)"; fi
}

check_root_and_systemd
if $UNINSTALL; then uninstall_all; else install_all; fi
