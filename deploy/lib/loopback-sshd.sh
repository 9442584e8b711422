#!/usr/bin/env bash
# A private sshd on 127.0.0.1 for benchmarks and tests: its own host key, one client key, its own config.
#   loopback-sshd.sh start DIR PORT   start it (idempotent); writes DIR/ssh_config for `ssh -F DIR/ssh_config loopback`
#   loopback-sshd.sh stop DIR         stop it
# Needs root and Debian's openssh-server (deploy/lib/install-test-tools.sh installs it). The machine's own sshd, if
# any, is not touched.
set -euo pipefail

cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2; }
say() { echo "loopback-sshd: $*" >&2; }

case "$cmd" in
  start)
    port=${3:?usage: $0 start DIR PORT}
    mkdir -p "$dir" /run/sshd
    chmod 700 "$dir"
    [ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -f "$dir/host_ed25519"
    [ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -f "$dir/client_ed25519"
    cp "$dir/client_ed25519.pub" "$dir/authorized_keys"
    cat >"$dir/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_ed25519
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $dir/sshd.pid
CONF
    cat >"$dir/ssh_config" <<CONF
Host loopback
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $dir/client_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking accept-new
  BatchMode yes
CONF
    if [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; then
      say "already running on 127.0.0.1:$port"
      exit 0
    fi
    /usr/sbin/sshd -f "$dir/sshd_config"
    for _ in $(seq 1 50); do
      ssh -F "$dir/ssh_config" loopback true 2>/dev/null && { say "up on 127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    say "sshd on 127.0.0.1:$port does not answer"
    exit 1
    ;;
  stop)
    [ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    rm -f "$dir/sshd.pid"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
