#!/bin/sh
# Builds an arm64 (aarch64) sysroot in DIR, so that the linux-arm64 build of sched runs on this x86_64 machine:
#   qemu-aarch64-static -L DIR artifacts/linux-arm64/sched --version
# Usage: deploy/lib/arm64-sysroot.sh [--refresh] [DIR]    (default DIR: /var/cache/sched-arm64-sysroot/root)
#
# DIR gets the Debian 12 arm64 libraries a .NET application needs (libc6, libstdc++6, libgcc-s1, libicu72,
# zlib1g, libssl3), unpacked with `dpkg -x`. The .debs are fetched with apt, for arm64, through a private apt
# state under /var/cache/sched-arm64-sysroot/apt (its own package lists, an empty dpkg status, no lock on the
# system's apt): the machine's dpkg architectures, package lists and installed packages stay as they are.
# binfmt_misc is not used. Safe to run again: a DIR built from the same package list is left alone
# (--refresh fetches the current versions and builds DIR again). Needs the network only for a new build.
set -eu

PACKAGES="libc6 libstdc++6 libgcc-s1 libicu72 zlib1g libssl3"
CACHE=${SCHED_ARM64_CACHE:-/var/cache/sched-arm64-sysroot}

say() { echo "arm64-sysroot: $*" >&2; }

refresh=""
if [ "${1:-}" = "--refresh" ]; then
  refresh=1
  shift
fi
DIR=${1:-$CACHE/root}
STAMP="$DIR/.sched-arm64-sysroot"

if [ -z "$refresh" ] && [ -f "$STAMP" ] && [ "$(head -n 1 "$STAMP")" = "packages: $PACKAGES" ]; then
  say "ok: $DIR ($(sed -n '2,$p' "$STAMP" | tr '\n' ' '))"
  exit 0
fi

for tool in apt-get dpkg-deb; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing (this script needs Debian's apt)"; exit 1; }
done

STATE="$CACHE/apt"
DEBS="$CACHE/debs"
mkdir -p "$STATE/lists/partial" "$STATE/archives/partial" "$DEBS"
[ -f "$STATE/status" ] || : >"$STATE/status"

# The system's package sources (sources.list and sources.list.d, as configured), everything else private:
# APT::Architectures=arm64 also keeps apt from adding the foreign architectures dpkg knows about.
apt_arm64() {
  apt-get -q \
    -o APT::Architecture=arm64 -o APT::Architectures=arm64 \
    -o Dir::State="$STATE" -o Dir::State::Lists="$STATE/lists" -o Dir::State::status="$STATE/status" \
    -o Dir::Cache="$STATE" -o Dir::Cache::archives="$STATE/archives" \
    -o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
    -o APT::Sandbox::User=root \
    "$@"
}

if [ -n "$refresh" ] || ! ls "$STATE/lists/"*_Packages* >/dev/null 2>&1; then
  say "fetching the arm64 package lists (private apt state in $STATE)"
  # A source that serves no arm64 index (for example an extra vendor repository) only warns here;
  # the download below fails clearly if a package really cannot be fetched.
  apt_arm64 update >&2 || say "apt-get update reported errors (see above); trying the download anyway"
fi

say "downloading for arm64: $PACKAGES"
# shellcheck disable=SC2086 # word splitting of the package list is intended
(cd "$DEBS" && apt_arm64 download $PACKAGES >&2) || {
  say "could not download the arm64 packages $PACKAGES; the package lists in $STATE may be stale: run with --refresh"
  exit 1
}

# One .deb per package: the newest downloaded version (older ones from earlier runs stay in the cache).
tmp="$DIR.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
versions=""
for p in $PACKAGES; do
  deb=$(find "$DEBS" -maxdepth 1 -name "${p}_*_arm64.deb" | sort -V | tail -n 1)
  [ -n "$deb" ] || { say "no arm64 .deb of $p in $DEBS"; exit 1; }
  dpkg-deb -x "$deb" "$tmp"
  versions="$versions$(basename "$deb" .deb)
"
done

[ -e "$tmp/lib/ld-linux-aarch64.so.1" ] || [ -e "$tmp/usr/lib/ld-linux-aarch64.so.1" ] \
  || { say "the unpacked libc6 has no ld-linux-aarch64.so.1"; exit 1; }
printf 'packages: %s\n%s' "$PACKAGES" "$versions" >"$tmp/.sched-arm64-sysroot"

# Replace DIR only now, so an interrupted run never leaves a DIR that looks complete.
rm -rf "$DIR"
mkdir -p "$(dirname "$DIR")"
mv "$tmp" "$DIR"
trap - EXIT
say "built $DIR from $(echo "$versions" | tr '\n' ' ')"
