#!/bin/sh
# Usage: start-podman-socket.sh [SOCKET_PATH] [podman global args...]
# Makes sure a podman API service answers on SOCKET_PATH (default /run/podman/podman.sock).
# If nothing answers there, starts `podman [args] system service --time=0 unix://SOCKET_PATH`
# detached, logging to SOCKET_PATH with .log instead of .sock, and waits until it answers.
# The extra args select a separate store per node, e.g. --root DIR --runroot DIR.
set -eu

SOCKET=/run/podman/podman.sock
case "${1:-}" in
  "" | -*) ;;
  *) SOCKET=$1; shift ;;
esac
case $SOCKET in /*) ;; *) SOCKET=$PWD/$SOCKET ;; esac
LOG="${SOCKET%.sock}.log"
TIMEOUT_SECONDS=20

say() { echo "start-podman-socket: $*"; }

answers() {
  curl -sf --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

if answers; then
  say "podman API already answers on $SOCKET"
  exit 0
fi

command -v podman >/dev/null || { say "podman is not installed; run deploy/lib/install-podman.sh"; exit 1; }
mkdir -p "$(dirname "$SOCKET")"
if [ -S "$SOCKET" ]; then
  say "removing stale socket $SOCKET (nothing answers on it)"
  rm -f "$SOCKET"
fi

# From /: the service outlives this script, and conmon fails ("Failed to get working directory") once the
# folder it was started from is gone, e.g. a CI checkout removed after the run.
cd /
setsid nohup podman "$@" system service --time=0 "unix://$SOCKET" </dev/null >>"$LOG" 2>&1 &
pid=$!
say "started podman system service (pid $pid) on $SOCKET, log $LOG"

deadline=$(($(date +%s) + TIMEOUT_SECONDS))
until answers; do
  if ! kill -0 "$pid" 2>/dev/null; then
    say "podman system service exited before answering; last lines of $LOG:"
    tail -n 20 "$LOG" >&2
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    say "podman API did not answer on $SOCKET within ${TIMEOUT_SECONDS}s; see $LOG (pid $pid still running)"
    exit 1
  fi
  sleep 0.2
done
say "podman API answers on $SOCKET"
