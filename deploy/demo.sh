#!/usr/bin/env bash
# The whole walking skeleton on one machine: installs what is missing, builds and installs sched,
# builds the sample image, starts `sched agent --dev` in the background and runs a 7-shard job on it.
# Exit status 0 only if the job succeeded. Safe to run again: it restarts its own agent with the new build.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=/var/lib/sched-demo
LOG=/var/log/sched-demo.log
ADDR=http://127.0.0.1:4080
export SCHED_ADDR=$ADDR
# The CLI finds the API token the agent generates there (api-token, mode 0600).
export SCHED_DATA_DIR=$STATE

say() { echo "demo: $*"; }

"$ROOT/deploy/lib/prepare-host.sh"
"$ROOT/deploy/install.sh"

mkdir -p "$STATE"
if [ -f "$STATE/agent.pid" ] && kill -0 "$(cat "$STATE/agent.pid")" 2>/dev/null; then
  say "stopping the previous demo agent (pid $(cat "$STATE/agent.pid"))"
  kill "$(cat "$STATE/agent.pid")"
  for _ in $(seq 50); do kill -0 "$(cat "$STATE/agent.pid")" 2>/dev/null || break; sleep 0.2; done
fi
if curl -sf --max-time 2 "$ADDR/healthz" >/dev/null; then
  say "something else already answers on $ADDR; stop it (or the sched agent there) and run this again"
  exit 1
fi

cd "$STATE"
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} setsid nohup sched agent --dev --data-dir "$STATE" --http 127.0.0.1:4080 </dev/null >>"$LOG" 2>&1 &
echo $! >"$STATE/agent.pid"
say "started sched agent --dev (pid $!), logging to $LOG"

for _ in $(seq 100); do
  if sched nodes 2>/dev/null | grep -q ' up '; then break; fi
  sleep 0.2
done
sched nodes

set +e
sched run my-processor --shards 7 --memory 64Mi --cpus 0.25 | tee "$STATE/last-run.txt"
status=${PIPESTATUS[0]}
set -e
job=$(sed -n 's/^job \([^:]*\): .*/\1/p' "$STATE/last-run.txt" | head -n 1)
echo
sched status "$job"
echo
say "the agent keeps running (pid $(cat "$STATE/agent.pid")); placements: grep placed $LOG"
say "the API token is in $STATE/api-token; for the commands below: export SCHED_DATA_DIR=$STATE"
say "try: sched jobs | sched nodes | podman logs sched-$job-3-1 | sched stop $job"
say "or curl -H \"Authorization: Bearer \$(cat $STATE/api-token)\" $ADDR/v1/jobs"
exit "$status"
