#!/usr/bin/env bash
# Usage: deploy/lib/podman5-root.sh up [--refresh] | down | socket-path | version
#
# A podman 5 API service next to this Debian 12 machine's podman 4.3.1, for running the podman-facing tests
# against podman 5 (the major version the real cluster runs). As root:
#   up           makes (once) a Debian 13 (trixie) root with podman 5, runc and nftables in it, mounts what it needs,
#                starts `podman system service` inside it with chroot, and copies the host's test images
#                (deploy/images/build.sh) into its store when they differ. Prints nothing on stdout.
#                --refresh builds the root again from the current Debian 13 packages.
#   down         removes the root's containers, stops its service, unmounts it, and deletes the nft table its
#                netavark leaves on the host. Keeps the root (and its images) for the next `up`.
#   socket-path  prints the host path of the service's socket.
#   version      prints the service's podman version, as its API reports it.
# Both up and down are safe to run again, and after a crash (stale mounts, a stale socket, a dead service).
#
# The root is kept in $SCHED_PODMAN5_CACHE (default /var/cache/sched-test/podman5-trixie), so only the first `up`
# on a machine downloads anything. What podman 5 needs on a cgroup v1 host (docs: MACHINE-NOTES, "podman 5"):
#   - the root bind-mounted onto itself (containers/storage remounts / private), /proc, /sys, /dev, /dev/pts;
#   - runc (crun refuses hybrid cgroups), cgroupfs, the file events logger, no default ulimits;
#   - nftables (netavark calls nft) and a network of its own: subnet 10.89.0.0/16 on bridge podman5, where the
#     host's podman has 10.88.0.0/16 on podman0.
set -euo pipefail

CACHE=${SCHED_PODMAN5_CACHE:-/var/cache/sched-test/podman5-trixie}
MIRROR=${SCHED_PODMAN5_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
PACKAGES="podman runc conmon netavark nftables"
DIR=$CACHE/root
STAMP=$DIR/.sched-podman5-root
SOCKET_INSIDE=/run/podman5.sock
SOCKET=$DIR$SOCKET_INSIDE
LOG=$CACHE/service.log
SUBNET=10.89.0.0/16
GATEWAY=10.89.0.1
BRIDGE=podman5
IMAGES="localhost/sched-test-busybox:latest localhost/my-processor:latest"
HASH_LABEL=sched.image-hash
TIMEOUT_SECONDS=30

say() { echo "podman5-root: $*" >&2; }
fail() { say "$*"; exit 1; }

answers() { curl -sf --max-time 2 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1; }

api_version() {
  curl -sf --max-time 5 --unix-socket "$SOCKET" http://d/version | grep -oE '"Version": *"[^"]*"' | head -n 1 | cut -d'"' -f4
}

# podman inside the root, in a clean environment (nothing of the host's CONTAINERS_CONF, TMPDIR, ...).
in_root() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 PODMAN_IGNORE_CGROUPSV1_WARNING=1 DEBIAN_FRONTEND=noninteractive "$@"
}

# Mount points at or below ROOT, innermost first.
mounts_under() {
  awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

unmount_all() {
  local root=$1 attempt m
  for attempt in 1 2 3 4 5; do
    [ -n "$(mounts_under "$root")" ] || return 0
    for m in $(mounts_under "$root"); do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  done
  [ -z "$(mounts_under "$root")" ] || fail "could not unmount: $(mounts_under "$root" | tr '\n' ' ')"
}

is_mount() { findmnt -rn --mountpoint "$1" >/dev/null 2>&1; }

# The root onto itself (private: its mounts do not propagate to the host's /), then what podman needs inside.
mount_all() {
  local root=$1
  if ! is_mount "$root"; then
    unmount_all "$root"
    mount --bind "$root" "$root"
    mount --make-private "$root"
  fi
  is_mount "$root/proc" || mount -t proc proc "$root/proc"
  if ! is_mount "$root/sys"; then
    mount --rbind /sys "$root/sys"
    mount --make-rslave "$root/sys"
  fi
  is_mount "$root/dev" || { mount --bind /dev "$root/dev" && mount --make-rslave "$root/dev"; }
  is_mount "$root/dev/pts" || mount --bind /dev/pts "$root/dev/pts"
  # podman's run state belongs in a tmpfs: after a reboot or a `down` it starts afresh, as on a real host.
  is_mount "$root/run" || mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$root/run"
}

# rm -rf that refuses to run while anything is mounted below DIR (a bound /dev would go with it).
remove_tree() {
  [ -e "$1" ] || return 0
  unmount_all "$1"
  rm -rf --one-file-system "$1"
}

# Processes whose root is DIR: the service, conmon, podman commands (containers have roots of their own).
processes_in_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$DIR" ] && echo "${p#/proc/}"
  done
  return 0
}

write_config() {
  local root=$1
  mkdir -p "$root/etc/containers/networks"
  cat >"$root/etc/containers/containers.conf" <<EOF
# Written by deploy/lib/podman5-root.sh: podman 5 in a chroot on a cgroup v1 (hybrid) host.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
firewall_driver = "nftables"
default_subnet = "$SUBNET"
EOF
  # The default network as a file: its own bridge name, so it never shares podman0 with the host's podman.
  cat >"$root/etc/containers/networks/podman.json" <<EOF
{
  "name": "podman",
  "id": "2f259bab93aaaaa2542ba43ef33eb990d0999ee1b9924b557b7be53c0b7a1bb9",
  "driver": "bridge",
  "network_interface": "$BRIDGE",
  "subnets": [{ "subnet": "$SUBNET", "gateway": "$GATEWAY" }],
  "ipv6_enabled": false,
  "internal": false,
  "dns_enabled": false,
  "ipam_options": { "driver": "host-local" }
}
EOF
}

build_root() {
  local tmp=$DIR.new
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2; }
  }
  remove_tree "$tmp"
  say "debootstrap --variant=minbase $SUITE $tmp $MIRROR"
  debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$CACHE/debootstrap.log" >&2; unmount_all "$tmp"; fail "debootstrap failed; log: $CACHE/debootstrap.log"; }
  cp /etc/resolv.conf "$tmp/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
  chmod 755 "$tmp/usr/sbin/policy-rc.d"
  mount_all "$tmp"
  say "installing in the root: $PACKAGES"
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  if ! { in_root "$tmp" apt-get update -q && in_root "$tmp" apt-get install -y -q --no-install-recommends $PACKAGES \
    && in_root "$tmp" apt-get clean; } >>"$CACHE/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE/debootstrap.log" >&2
    unmount_all "$tmp"
    fail "installing $PACKAGES in the root failed; log: $CACHE/debootstrap.log"
  fi
  unmount_all "$tmp"
  printf 'suite: %s\npackages: %s\n%s\n' "$SUITE" "$PACKAGES" "$(chroot "$tmp" dpkg-query -W podman runc netavark)" >"$tmp/.sched-podman5-root"
  # Replace DIR only now, so an interrupted build never leaves a root that looks complete.
  remove_tree "$DIR"
  mv "$tmp" "$DIR"
  say "built $DIR: $(sed -n '3,$p' "$STAMP" | tr '\t\n' '  ')"
}

root_is_current() {
  [ -f "$STAMP" ] && [ "$(sed -n 1,2p "$STAMP")" = "$(printf 'suite: %s\npackages: %s' "$SUITE" "$PACKAGES")" ]
}

start_service() {
  if answers; then
    return 0
  fi
  stop_processes
  rm -f "$SOCKET"
  [ -f "$LOG" ] && mv -f "$LOG" "$LOG.1"
  # From /: the service outlives this script (see start-podman-socket.sh).
  cd /
  setsid nohup chroot "$DIR" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root PODMAN_IGNORE_CGROUPSV1_WARNING=1 \
    podman system service --time=0 "unix://$SOCKET_INSIDE" </dev/null >>"$LOG" 2>&1 9>&- &
  local pid=$! deadline=$(($(date +%s) + TIMEOUT_SECONDS))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$LOG" >&2
      fail "podman system service in $DIR exited before answering; log: $LOG"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "podman API did not answer on $SOCKET within ${TIMEOUT_SECONDS}s; log: $LOG"
    sleep 0.2
  done
}

# Copies each test image from the host's store unless the root has the same build (deploy/images/build.sh's label).
import_images() {
  local image want have archive=$DIR/tmp/sched-image.tar
  for image in $IMAGES; do
    want=$(podman image inspect --format "{{index .Labels \"$HASH_LABEL\"}}" "$image" 2>/dev/null) \
      || fail "the host has no $image: run deploy/images/build.sh first"
    have=$(in_root "$DIR" podman image inspect --format "{{index .Labels \"$HASH_LABEL\"}}" "$image" 2>/dev/null || true)
    if [ "$want" = "$have" ]; then
      continue
    fi
    rm -f "$archive"
    podman save -q -o "$archive" "$image"
    in_root "$DIR" podman load -q -i /tmp/sched-image.tar >/dev/null
    rm -f "$archive"
    say "copied $image ($HASH_LABEL=$want) into the podman 5 store"
  done
  in_root "$DIR" podman image prune -f >/dev/null
}

stop_processes() {
  local pids attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(processes_in_root)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086 # one pid per word
    if [ "$attempt" -lt 10 ]; then kill $pids 2>/dev/null || true; else kill -9 $pids 2>/dev/null || true; fi
    sleep 0.5
  done
  pids=$(processes_in_root)
  # shellcheck disable=SC2086
  [ -z "$pids" ] || { kill -9 $pids 2>/dev/null || true; sleep 0.5; }
}

# netavark's nftables driver leaves `table inet netavark` on the host. The host's podman owns it only if its netavark
# can use nftables at all (1.9 and later); 4.3.1's netavark 1.4 writes iptables rules.
remove_nft_table() {
  local nft=nft
  [ -x "$DIR/usr/sbin/nft" ] && nft="chroot $DIR /usr/sbin/nft"
  $nft list table inet netavark >/dev/null 2>&1 || return 0
  local host_netavark version
  host_netavark=$(ls /usr/lib/podman/netavark /usr/libexec/podman/netavark 2>/dev/null | head -n 1 || true)
  version=$([ -n "$host_netavark" ] && "$host_netavark" --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ -n "$version" ] && [ "$(printf '%s\n1.9.0\n' "$version" | sort -V | head -n 1)" = 1.9.0 ]; then
    say "left nft table inet netavark alone: the host's netavark $version may use it"
    return 0
  fi
  $nft delete table inet netavark
  say "deleted nft table inet netavark (the host's netavark ${version:-none} does not use nftables)"
}

up() {
  [ "$(id -u)" = 0 ] || fail "must run as root"
  if [ "${1:-}" = --refresh ] || ! root_is_current; then
    stop_processes
    build_root
  fi
  write_config "$DIR"
  mount_all "$DIR"
  start_service
  import_images
  say "podman $(api_version) answers on $SOCKET"
}

down() {
  [ "$(id -u)" = 0 ] || fail "must run as root"
  if [ -x "$DIR/usr/bin/podman" ] && is_mount "$DIR/proc"; then
    timeout 120 chroot "$DIR" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root PODMAN_IGNORE_CGROUPSV1_WARNING=1 \
      podman rm --all --force --time 0 >/dev/null 2>&1 || say "could not remove the root's containers (continuing)"
  fi
  stop_processes
  [ -d "$DIR" ] && unmount_all "$DIR"
  remove_nft_table
  say "down: no service, no mounts under $DIR"
}


case "${1:-}" in
  up | down)
    mkdir -p "$CACHE"
    exec 9>"$CACHE.lock"
    flock 9
    "$@"
    ;;
  socket-path) echo "$SOCKET" ;;
  version) answers || fail "nothing answers on $SOCKET: run $0 up"; api_version ;;
  *) fail "usage: $0 up [--refresh] | down | socket-path | version" ;;
esac
