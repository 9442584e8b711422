#!/usr/bin/env bash
# Usage: build.sh [podman global args...]   e.g. build.sh --root DIR --runroot DIR
# Builds the local images sched uses, without a registry, from Debian's static busybox:
#   my-processor:latest         busybox + /bin/process (the sample sharded job), CMD /bin/process
#   sched-test-busybox:latest   busybox only, CMD sh (for tests)
# An image is rebuilt only when its content changed: each carries a label with the hash of its inputs.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BUSYBOX=/bin/busybox
HASH_LABEL=sched.image-hash
PODMAN=(podman "$@")

say() { echo "build-images: $*"; }

[ -x "$BUSYBOX" ] || { say "$BUSYBOX is missing; run deploy/lib/install-podman.sh (installs busybox-static)"; exit 1; }
"$BUSYBOX" --list >/dev/null 2>&1 || { say "$BUSYBOX has no applet list; is it busybox-static?"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Writes a root filesystem with busybox and its applets to DIR.
make_busybox_root() {
  local root=$1
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  for applet in $("$BUSYBOX" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
}

# build NAME CMD_JSON [FILE_TO_ADD_AS_/bin/NAME...]
build() {
  local name=$1 cmd=$2
  shift 2
  hash=$( (sha256sum "$BUSYBOX" "$@" | cut -d' ' -f1; echo "$cmd") | sha256sum | cut -c1-16)
  current=$("${PODMAN[@]}" image inspect --format "{{index .Labels \"$HASH_LABEL\"}}" "$name" 2>/dev/null || true)
  if [ "$current" = "$hash" ]; then
    say "$name is up to date ($HASH_LABEL=$hash)"
    return
  fi
  old_id=$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)
  local file=${name%%:*} root
  root="$work/$file-root"
  make_busybox_root "$root"
  for f in "$@"; do
    install -m 0755 "$f" "$root/bin/$(basename "$f")"
  done
  tar -C "$root" --owner=0 --group=0 --numeric-owner -cf "$work/$file.tar" .
  "${PODMAN[@]}" import -q \
    --change "CMD $cmd" --change "ENV PATH=/bin" --change "LABEL $HASH_LABEL=$hash" \
    "$work/$file.tar" "$name" >/dev/null
  if [ -n "$old_id" ]; then
    "${PODMAN[@]}" rmi "$old_id" >/dev/null 2>&1 || true
  fi
  say "built $name ($HASH_LABEL=$hash)"
}

build sched-test-busybox:latest '["sh"]'
build my-processor:latest '["/bin/process"]' "$HERE/my-processor/process"
