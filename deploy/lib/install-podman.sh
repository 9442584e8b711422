#!/bin/sh
# Installs podman and what sched's scripts need on Debian 12 (as root), and configures
# /etc/containers/containers.conf so containers can run on this host. Safe to run again.
#
# Settings written to containers.conf:
#   [containers] default_ulimits = []   podman's default rlimits fail where the hard nofile limit is low
#   [engine]     runtime = "runc"       only when the default runtime (crun) cannot run a container here
set -eu

# podman reads CONTAINERS_CONF instead of the system file when it is set.
CONF=${CONTAINERS_CONF:-/etc/containers/containers.conf}
PACKAGES="podman runc busybox-static curl uidmap"

say() { echo "install-podman: $*"; }

[ "$(id -u)" = 0 ] || { say "must run as root"; exit 1; }

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  say "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get install -y -q $missing
else
  say "packages already installed: $PACKAGES"
fi

# Prints the value of KEY in [SECTION] of CONF (empty if not set).
conf_get() {
  [ -f "$CONF" ] || return 0
  awk -v sec="[$1]" -v key="$2" '
    /^[[:space:]]*\[/ { insec = ($1 == sec) }
    insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { sub(/^[^=]*=[[:space:]]*/, ""); print; exit }
  ' "$CONF"
}

# Sets KEY = VALUE in [SECTION] of CONF, keeping everything else: replaces an existing
# setting (also a multi-line array), or adds the line under the section header, or appends the section.
conf_set() {
  mkdir -p "$(dirname "$CONF")"
  touch "$CONF"
  tmp=$(mktemp)
  awk -v sec="[$1]" -v key="$2" -v line="$2 = $3" '
    skipping { if ($0 ~ /\]/) skipping = 0; next }
    /^[[:space:]]*\[/ {
      insec = ($1 == sec)
      print
      if (insec && !done) { print line; done = 1 }
      next
    }
    insec && $0 ~ "^[[:space:]]*" key "[[:space:]]*=" { skipping = ($0 ~ /\[/ && $0 !~ /\]/); next }
    { print }
    END { if (!done) { if (NR > 0) print ""; print sec; print line } }
  ' "$CONF" >"$tmp"
  cat "$tmp" >"$CONF"
  rm -f "$tmp"
}

if [ "$(conf_get containers default_ulimits)" = "[]" ]; then
  say "$CONF already has [containers] default_ulimits = []"
else
  conf_set containers default_ulimits "[]"
  say "set [containers] default_ulimits = [] in $CONF"
fi

# Runs a throwaway container from a one-file root (no image needed). Extra podman args first.
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
mkdir -p "$probe_dir/rootfs/bin"
cp /bin/busybox "$probe_dir/rootfs/bin/busybox"
probe() {
  podman "$@" run --rm --rootfs "$probe_dir/rootfs" /bin/busybox true >"$probe_dir/log" 2>&1
}

runtime=$(podman info --format '{{.Host.OCIRuntime.Name}}' 2>/dev/null || echo unknown)
if probe; then
  say "podman runs containers with its runtime $runtime; runtime left as configured"
else
  reason=$(tail -n 1 "$probe_dir/log")
  if ! probe --runtime runc; then
    say "podman cannot run a container, neither with $runtime ($reason) nor with runc:"
    cat "$probe_dir/log"
    exit 1
  fi
  say "runtime $runtime cannot run a container here ($reason); runc can"
  conf_set engine runtime '"runc"'
  say "set [engine] runtime = \"runc\" in $CONF"
fi
say "ok: $(podman --version), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"
