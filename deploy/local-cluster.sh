#!/usr/bin/env bash
# A local multi-node sched cluster on one machine: node1..nodeN, each with its own podman store, its own
# podman API service and its own `sched agent`, joined on loopback. For end-to-end tests and for people.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $(basename "$0") COMMAND [ARGS]
  up [N]                      start node1..nodeN (default 3) that aren't running; wait until all are up
  start NAME [AGENT FLAGS]    start one node (nodeK; a new K adds a node) and wait until it is up. Flags go to
                              that agent only and are remembered for its later starts; \`start NAME --\` forgets them
  stop NAME                   SIGTERM the agent and wait for it to exit (its podman service keeps running)
  kill NAME [--containers]    SIGKILL the agent, the guard and the node's podman service (a power loss);
                              --containers also kills every running container of that node's store
  signal NAME SIGNAL          send SIGNAL (KILL, STOP, CONT, TERM) to the node's agent alone: its containers,
                              guard and podman service stay as they are (an agent crash, freeze or restart)
  down [--purge]              stop everything, remove all containers and agent state; --purge also the images
  status                      one line per node: agent, podman socket, containers
  podman NAME ARGS...         run podman against that node's store, e.g. \`podman node2 ps -a\`
Node K: store --root \$DIR/nodeK/storage --runroot \$RUN/nodeK --tmpdir \$RUN/nodeK/libpod, API socket
\$RUN/nodeK/podman.sock, agent on 127.0.0.1:\$((BASE+K)) with data dir \$DIR/nodeK (log agent.log, agent.pid).
Beside each agent runs its node guard (\`sched guard\`, log guard.log, guard.pid), as systemd runs sched-guard.service:
it stops the node's containers whenever the agent's fencing lease (\$DIR/nodeK/fence-lease) runs out.
Every node lists node1, node2 and node3 as seeds (as the boards do), so a restarted node1 rejoins the cluster of the
others; a cluster of fewer than 3 nodes forms once node1 has waited for the missing seeds (seed-node-timeout, 10 s).
node1 is the only scheduler (HTTP API on 127.0.0.1:\$HTTP_PORT) unless a node is started with --roles; the others are workers.
Every agent gets --token-file \$DIR/api-token (made on the first start), so a node started with the scheduler
role accepts the same API token; the CLI finds it with SCHED_TOKEN_FILE=\$DIR/api-token.
The cluster runs mutual TLS: the first start makes a cluster CA in \$DIR/tls (\`sched cert init\`), each node's
first start its certificate in \$DIR/tls/nodeK (\`sched cert issue\`), and the agent gets --tls-dir \$DIR/tls/nodeK.
SCHED_LOCAL_AGENT_ARGS=--insecure-cluster runs the agents without TLS instead.
Environment: SCHED_LOCAL_DIR (DIR, default /var/lib/sched-local), SCHED_LOCAL_RUN (RUN, default /run/sched-local),
  SCHED_LOCAL_BASE_PORT (BASE, default 4053), SCHED_LOCAL_HTTP_PORT (default 4080),
  SCHED_LOCAL_AGENT_ARGS (extra flags for every agent), SCHED_LOCAL_WAIT_SECONDS (wait for up, default 60),
  SCHED_BIN (else \`sched\` on PATH, else the build output).
EOF
}

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
DIR=$(realpath -m "${SCHED_LOCAL_DIR:-/var/lib/sched-local}")
RUN=$(realpath -m "${SCHED_LOCAL_RUN:-/run/sched-local}")
BASE=${SCHED_LOCAL_BASE_PORT:-4053}
HTTP_PORT=${SCHED_LOCAL_HTTP_PORT:-4080}
ADDR=http://127.0.0.1:$HTTP_PORT
TOKEN_FILE=$DIR/api-token
TLS_DIR=$DIR/tls
read -r -a COMMON_ARGS <<<"${SCHED_LOCAL_AGENT_ARGS:-}"
WAIT_UP_SECONDS=${SCHED_LOCAL_WAIT_SECONDS:-60}
STOP_SECONDS=30
SEED_NODES=3
SCHED=""
IMAGES_READY=""

say() { echo "local-cluster: $*"; }
die() { echo "local-cluster: $*" >&2; exit 1; }

# Sets SCHED to the sched binary: $SCHED_BIN, else `sched` on PATH, else the repository's build output.
find_sched() {
  [ -n "$SCHED" ] && return
  if [ -n "${SCHED_BIN:-}" ]; then SCHED=$SCHED_BIN; local from="\$SCHED_BIN"
  elif SCHED=$(command -v sched); then local from="PATH"
  else SCHED=$REPO/src/Scheduler/bin/Debug/net10.0/sched; local from="build output"; fi
  [ -x "$SCHED" ] || die "no sched binary at $SCHED: set SCHED_BIN, or run \`dotnet build $REPO/src/Scheduler\`"
  say "using sched $SCHED (from $from)"
}

# Checks NAME is nodeK and sets IDX=K.
check_name() {
  [[ ${1:-} =~ ^node([1-9][0-9]*)$ ]] || die "bad node name '${1:-}': expected node1, node2, ..."
  IDX=${BASH_REMATCH[1]}
}

# The store of a node. A separate --tmpdir matters: podman's default one (/run/libpod) holds the events log,
# and stores sharing it would see each other's container events.
pm_args() { PM_ARGS=(--root "$DIR/$1/storage" --runroot "$RUN/$1" --tmpdir "$RUN/$1/libpod"); }
pm() { local n=$1 PM_ARGS; shift; pm_args "$n"; podman "${PM_ARGS[@]}" "$@"; }
sock() { echo "$RUN/$1/podman.sock"; }
socket_answers() { curl -sf --max-time 2 --unix-socket "$(sock "$1")" http://d/_ping >/dev/null 2>&1; }
# The pid of the node's podman API service, if it runs.
service_pid() { pgrep -f -- "system service --time=0 unix://$(sock "$1")\$" | head -n 1; }
# The nodes known on disk, in order.
known_nodes() { local d; for d in "$DIR"/node*; do [ -d "$d" ] && basename "$d"; done | sort -V; }

# Prints the agent's pid if it runs (checks it is really this node's agent, not a reused pid).
agent_pid() {
  local pid
  pid=$(cat "$DIR/$1/agent.pid" 2>/dev/null) || return 1
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--node-name $1 " && echo "$pid"
}

# Prints the guard's pid if it runs.
guard_pid() {
  local pid
  pid=$(cat "$DIR/$1/guard.pid" 2>/dev/null) || return 1
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "guard --data-dir $DIR/$1 " && echo "$pid"
}

# The value of FLAG in the remaining arguments, if given (the last one wins, as for the agent).
flag_value() {
  local flag=$1 value=""
  shift
  while [ $# -gt 0 ]; do
    [ "$1" = "$flag" ] && [ $# -gt 1 ] && value=$2
    shift
  done
  echo "$value"
}

# Starts the node's guard unless it runs: it watches the lease in the agent's data dir and stops the containers of
# the agent's cluster id on the node's socket when it runs out.
start_guard() {
  local n=$1 pid cluster_id
  shift
  if pid=$(guard_pid "$n"); then return; fi
  cluster_id=$(flag_value --cluster-id "$@")
  setsid nohup "$SCHED" guard --data-dir "$DIR/$n" --podman-socket "$(sock "$n")" ${cluster_id:+--cluster-id "$cluster_id"} \
    </dev/null >>"$DIR/$n/guard.log" 2>&1 &
  echo $! >"$DIR/$n/guard.pid"
  say "$n: started guard pid $!, log $DIR/$n/guard.log"
}

# Waits up to SECONDS for PID to exit; returns 1 if it still runs.
wait_exit() {
  local pid=$1 deadline=$(($(date +%s) + $2))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# Builds the local images into node1's store (build.sh rebuilds only what changed), then copies them into
# NAME's store unless it has the same image ids already. Measured here: build.sh into an empty store 2.5 s,
# `podman save | podman load` 1.1 s, build.sh when up to date 0.4 s.
ensure_images() {
  local n=$1 img src_id id copy=() old=()
  if [ -z "$IMAGES_READY" ]; then
    pm_args node1
    "$REPO/deploy/images/build.sh" "${PM_ARGS[@]}"
    IMAGES_READY=1
  fi
  [ "$n" = node1 ] && return
  for img in $(pm node1 images --filter label=sched.image-hash --format '{{.Repository}}:{{.Tag}}'); do
    src_id=$(pm node1 image inspect --format '{{.Id}}' "$img")
    id=$(pm "$n" image inspect --format '{{.Id}}' "$img" 2>/dev/null || true)
    [ "$id" = "$src_id" ] && continue
    copy+=("$img")
    [ -n "$id" ] && old+=("$id")
  done
  [ ${#copy[@]} -eq 0 ] && { say "$n: images up to date"; return; }
  pm node1 save -m "${copy[@]}" | pm "$n" load -q >/dev/null
  [ ${#old[@]} -eq 0 ] || pm "$n" rmi "${old[@]}" >/dev/null 2>&1 || true
  say "$n: copied ${copy[*]} from node1's store"
}

# The API token every agent of this cluster accepts: 32 random bytes, base64url, readable by root only.
ensure_token() {
  [ -s "$TOKEN_FILE" ] && return
  mkdir -p "$DIR"
  (umask 077 && { printf sched_; head -c 32 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '='; } >"$TOKEN_FILE")
  say "made the API token file $TOKEN_FILE"
}

# The node's TLS directory for --tls-dir: the cluster CA on the first start, the node's certificate on its first.
ensure_tls() {
  local n=$1
  if [ ! -s "$TLS_DIR/ca.crt" ]; then
    "$SCHED" cert init --dir "$TLS_DIR" >/dev/null
    say "made the cluster CA in $TLS_DIR"
  fi
  [ -s "$TLS_DIR/$n/node.crt" ] && return
  "$SCHED" cert issue "$n" --dir "$TLS_DIR" --san 127.0.0.1 --san localhost >/dev/null
  say "$n: issued its certificate in $TLS_DIR/$n"
}

# The agent's TLS flags: none when the caller asked for an insecure cluster.
tls_args() {
  TLS_ARGS=()
  case " ${COMMON_ARGS[*]-} $* " in *" --insecure-cluster "*) return ;; esac
  ensure_tls "$1"
  TLS_ARGS=(--tls-dir "$TLS_DIR/$1")
}

# The CLI as this script uses it: this cluster's address and token, whatever the caller's environment says.
cli() { SCHED_ADDR=$ADDR SCHED_TOKEN=$(cat "$TOKEN_FILE") "$SCHED" "$@"; }

# start NAME [flags]: the node's podman service, images and agent (each only if not already there).
start_node() {
  local n=$1 pid port roles http i extra=() seeds
  shift
  check_name "$n"
  mkdir -p "$DIR/$n" "$RUN/$n"
  pm_args "$n"
  "$HERE/lib/start-podman-socket.sh" "$(sock "$n")" "${PM_ARGS[@]}"
  ensure_images "$n"
  if pid=$(agent_pid "$n"); then
    # An agent left frozen by `signal NAME STOP` counts as running: let it go on, or `up` would wait for it forever.
    kill -CONT "$pid" 2>/dev/null || true
    say "$n: agent already runs (pid $pid)${1+; flags not applied: stop it first}"
    return
  fi
  if [ $# -gt 0 ]; then
    [ "$1" = -- ] && shift
    if [ $# -gt 0 ]; then printf '%s\n' "$@" >"$DIR/$n/agent-args"; else rm -f "$DIR/$n/agent-args"; fi
  fi
  [ -s "$DIR/$n/agent-args" ] && mapfile -t extra <"$DIR/$n/agent-args"
  find_sched
  start_guard "$n" ${COMMON_ARGS[@]+"${COMMON_ARGS[@]}"} ${extra[@]+"${extra[@]}"}
  ensure_token
  tls_args "$n" ${extra[@]+"${extra[@]}"}
  port=$((BASE + IDX))
  seeds=()
  for ((i = 1; i <= SEED_NODES; i++)); do seeds+=(--seed "127.0.0.1:$((BASE + i))"); done
  if [ "$n" = node1 ]; then roles=scheduler,worker http=127.0.0.1:$HTTP_PORT; else roles=worker http=off; fi
  [ -f "$DIR/$n/agent.log" ] && mv -f "$DIR/$n/agent.log" "$DIR/$n/agent.log.prev"
  # As sched-agent.service runs it: two malloc arenas, not eight per core (node1 under jobs ~28 MB smaller).
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} setsid nohup "$SCHED" agent --node-name "$n" --host 127.0.0.1 --port "$port" "${seeds[@]}" \
    --roles "$roles" --http "$http" --podman-socket "$(sock "$n")" --data-dir "$DIR/$n" --token-file "$TOKEN_FILE" \
    ${TLS_ARGS[@]+"${TLS_ARGS[@]}"} ${COMMON_ARGS[@]+"${COMMON_ARGS[@]}"} ${extra[@]+"${extra[@]}"} </dev/null >"$DIR/$n/agent.log" 2>&1 &
  echo $! >"$DIR/$n/agent.pid"
  say "$n: started agent pid $! on 127.0.0.1:$port ($roles${extra[*]+, extra flags: ${extra[*]}}), log $DIR/$n/agent.log"
}

# The last lines of a node's agent log, without stack trace lines.
log_tail() { echo "--- $DIR/$1/agent.log" >&2; grep -v -E '^\s+(at |--- End)' "$DIR/$1/agent.log" | tail -n 20 >&2 || true; }

# Waits until `sched nodes` shows every NAME as up; on timeout or a dead agent prints the logs and fails.
wait_up() {
  local deadline=$(($(date +%s) + WAIT_UP_SECONDS)) n out missing
  find_sched
  while :; do
    out=$(cli nodes 2>/dev/null || true)
    missing=()
    for n in "$@"; do
      agent_pid "$n" >/dev/null || { log_tail "$n"; die "$n: agent exited; log above"; }
      awk -v n="$n" '$1 == n && $2 == "up" { f = 1 } END { exit !f }' <<<"$out" || missing+=("$n")
    done
    [ ${#missing[@]} -eq 0 ] && break
    if [ "$(date +%s)" -ge "$deadline" ]; then
      for n in "$@"; do log_tail "$n"; done
      echo "--- sched nodes:" >&2; echo "$out" >&2
      die "not up after ${WAIT_UP_SECONDS}s: ${missing[*]}"
    fi
    sleep 0.5
  done
  echo "$out"
  say "up: $*"
  echo "export SCHED_ADDR=$ADDR SCHED_TOKEN_FILE=$TOKEN_FILE"
}

# Sends SIGTERM to every PID, waits up to SECONDS for each to exit, SIGKILLs what is left.
term_wait() {
  local secs=$1 pid
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for pid in "$@"; do
    wait_exit "$pid" "$secs" && continue
    say "pid $pid still runs ${secs}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_exit "$pid" 5 || die "pid $pid does not exit"
  done
}

stop_node() {
  local n=$1 pid
  check_name "$n"
  if ! pid=$(agent_pid "$n"); then say "$n: agent not running"; return; fi
  term_wait "$STOP_SECONDS" "$pid"
  rm -f "$DIR/$n/agent.pid"
  say "$n: agent $pid stopped"
}

kill_node() {
  local n=$1 pid
  check_name "$n"
  [ -d "$DIR/$n" ] || die "$n: no such node in $DIR"
  [ $# -le 1 ] || [ "$2" = --containers ] || die "kill: unknown option '$2'"
  if pid=$(agent_pid "$n"); then kill -KILL "$pid"; wait_exit "$pid" 5 || true; say "$n: agent $pid killed"; fi
  if pid=$(guard_pid "$n"); then kill -KILL "$pid"; wait_exit "$pid" 5 || true; say "$n: guard $pid killed"; fi
  if pid=$(service_pid "$n") && [ -n "$pid" ]; then
    kill -KILL "$pid"; wait_exit "$pid" 5 || true; say "$n: podman service $pid killed"
  fi
  if [ "${2:-}" = --containers ]; then
    pm "$n" kill -a >/dev/null
    say "$n: killed its containers; running now: $(pm "$n" ps -q | wc -l)"
  fi
}

# down [--purge]: agents get SIGTERM together (workers and seed leave at once), then each store is cleaned.
signal_agent() {
  local n=$1 sig=${2:-} pid
  check_name "$n"
  case "$sig" in KILL | STOP | CONT | TERM) ;; *) die "signal: SIGNAL must be KILL, STOP, CONT or TERM, got '$sig'" ;; esac
  pid=$(agent_pid "$n") || die "$n: agent not running"
  kill "-$sig" "$pid"
  [ "$sig" = KILL ] && { wait_exit "$pid" 5 || true; rm -f "$DIR/$n/agent.pid"; }
  say "$n: sent SIG$sig to agent $pid"
}

down() {
  local purge=${1:-} n pid m nodes agents=() services=()
  [ -z "$purge" ] || [ "$purge" = --purge ] || die "down: unknown option '$purge'"
  mapfile -t nodes < <(known_nodes)
  for n in ${nodes[@]+"${nodes[@]}"}; do
    pid=$(agent_pid "$n") && agents+=("$pid")
    pid=$(guard_pid "$n") && agents+=("$pid")
  done
  term_wait "$STOP_SECONDS" ${agents[@]+"${agents[@]}"}
  for n in ${nodes[@]+"${nodes[@]}"}; do
    (pm "$n" rm -af -t 0 >/dev/null 2>&1 || say "$n: podman rm -af failed") &
  done
  wait
  for n in ${nodes[@]+"${nodes[@]}"}; do pid=$(service_pid "$n") && [ -n "$pid" ] && services+=("$pid"); done
  term_wait 10 ${services[@]+"${services[@]}"}
  for n in ${nodes[@]+"${nodes[@]}"}; do
    # podman leaves a private bind mount of storage/overlay (and shm mounts): unmount, deepest first.
    awk -v a="$DIR/$n/" -v b="$RUN/$n/" 'index($5, a) == 1 || index($5, b) == 1 { print $5 }' /proc/self/mountinfo \
      | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
    rm -rf "${RUN:?}/$n" "$DIR/$n/agent.pid" "$DIR/$n/guard.pid"
    if [ -n "$purge" ]; then
      rm -rf "${DIR:?}/$n"
    else
      find "$DIR/$n" -mindepth 1 -maxdepth 1 ! -name storage ! -name 'agent.log*' ! -name 'guard.log' -exec rm -rf {} +
    fi
    say "$n: down${purge:+, purged}"
  done
  [ -z "$purge" ] || { rm -rf "$TOKEN_FILE" "${TLS_DIR:?}"; rmdir "$DIR" "$RUN" 2>/dev/null || true; }
}

status() {
  local n pid agent sock_state containers
  [ -n "$(known_nodes)" ] || { say "no nodes in $DIR"; return; }
  for n in $(known_nodes); do
    check_name "$n"
    if pid=$(agent_pid "$n"); then agent="pid $pid"; else agent=down; fi
    if socket_answers "$n"; then sock_state=answers; else sock_state=down; fi
    if [ -d "$RUN/$n" ]; then
      containers="$(pm "$n" ps -q 2>/dev/null | wc -l) running, $(pm "$n" ps -aq 2>/dev/null | wc -l) total"
    else
      containers="none (store not in use)"
    fi
    printf '%-7s agent %-11s port %-5s podman %-8s containers %s\n' \
      "$n" "$agent" "$((BASE + IDX))" "$sock_state" "$containers"
  done
}

main() {
  local cmd=${1:-} n i names=()
  case "$cmd" in -h | --help | help | "") usage; [ -n "$cmd" ]; return ;; esac
  [ "$(id -u)" = 0 ] || die "must run as root (each node has a rootful podman store)"
  shift
  case "$cmd" in
    up)
      n=${1:-3}
      [[ $n =~ ^[1-9][0-9]*$ ]] || die "up: N must be a positive number, got '$n'"
      for ((i = 1; i <= n; i++)); do start_node "node$i"; names+=("node$i"); done
      wait_up "${names[@]}" ;;
    start) [ $# -ge 1 ] || die "start: NAME missing"; start_node "$@"; wait_up "$1" ;;
    stop) [ $# -eq 1 ] || die "usage: stop NAME"; stop_node "$1" ;;
    kill) [ $# -ge 1 ] || die "kill: NAME missing"; kill_node "$@" ;;
    signal) [ $# -eq 2 ] || die "usage: signal NAME SIGNAL"; signal_agent "$1" "$2" ;;
    down) down "$@" ;;
    status) status ;;
    podman)
      [ $# -ge 1 ] || die "podman: NAME missing"
      check_name "$1"; [ -d "$DIR/$1" ] || die "$1: no such node in $DIR"
      n=$1; shift; pm "$n" "$@" ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
