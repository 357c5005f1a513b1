#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine.
#
#   scripts/start-docker.sh          # install docker.io if needed, start dockerd if needed
#
# - Installs Debian's docker.io with apt-get when dockerd is missing (needs root).
# - Starts dockerd in the background when `docker info` does not answer, logging to
#   $DOCKERD_LOG (default /var/log/dockerd.log), and waits up to $DOCKERD_WAIT_S
#   seconds (default 60) for it.
# - Idempotent: does nothing when the engine already answers.
# Exit code 0 when `docker info` answers at the end, 1 otherwise (with a message).
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/dockerd.log}"
DOCKERD_WAIT_S="${DOCKERD_WAIT_S:-60}"

log() { echo "[start-docker] $*" >&2; }
die() { echo "[start-docker] ERROR: $*" >&2; exit 1; }

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=""
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    die "apt-get not found; install these by hand: $*"
  fi
  if [ -z "$apt_updated" ]; then
    log "apt-get update ..."
    sudo_if_needed apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  log "apt-get install -y $* ..."
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get install $* failed"
}

if docker info >/dev/null 2>&1; then
  log "Docker engine already running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))."
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  apt_install docker.io
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd still not found after installing docker.io"
command -v docker >/dev/null 2>&1 || die "docker client not found after installing docker.io"

if pgrep -x dockerd >/dev/null 2>&1; then
  log "dockerd process exists but does not answer yet; waiting for it ..."
else
  log "starting dockerd (log: $DOCKERD_LOG) ..."
  # setsid + nohup: the daemon outlives this script and the shell that called it.
  sudo_if_needed sh -c "setsid nohup dockerd >>'$DOCKERD_LOG' 2>&1 </dev/null &"
fi

for _ in $(seq 1 "$((DOCKERD_WAIT_S * 2))"); do
  if docker info >/dev/null 2>&1; then
    log "Docker engine ready ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))."
    exit 0
  fi
  sleep 0.5
done

echo "[start-docker] last lines of $DOCKERD_LOG:" >&2
tail -n 30 "$DOCKERD_LOG" >&2 2>/dev/null || true
die "Docker engine did not answer within ${DOCKERD_WAIT_S}s (see $DOCKERD_LOG)"
