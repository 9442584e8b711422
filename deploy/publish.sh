#!/usr/bin/env bash
# Publishes sched for the Odroid cluster (linux-arm64) into artifacts/linux-arm64/ and packs it as
# artifacts/sched-linux-arm64.tar.gz (one top folder sched/; reproducible: sorted, owner 0, fixed times),
# then prints both sizes.
#
# Usage: deploy/publish.sh [--self-contained | --framework-dependent] [--no-ready-to-run] [--output DIR]
#   --self-contained       (default) the .NET and ASP.NET Core runtimes ship inside the tree
#   --framework-dependent  only sched's own files; every node needs the .NET 10 and ASP.NET Core 10 runtimes
#   --no-ready-to-run      leave sched's and its packages' assemblies to the JIT (see ReadyToRun below)
#   --output DIR           publish into DIR (replaced) and pack DIR's parent/sched-<name of DIR>.tar.gz
#
# Sizes, measured here (Release, linux-arm64, .NET 10.0.12 runtime; tree / .tar.gz):
#   self-contained, ReadyToRun (default)   141.7 MiB / 53.7 MiB
#   self-contained, JIT                    124.9 MiB / 48.0 MiB
#   framework-dependent, ReadyToRun         28.5 MiB / 10.5 MiB
#   framework-dependent, JIT                11.7 MiB /  4.9 MiB
#
# Why self-contained: the build carries its own runtime (the 10.0.x restored when publishing), so there is
# nothing to install or keep in step on seven boards, and no coupling to what a distribution ships. nixpkgs
# does package .NET (dotnetCorePackages.runtime_10_0 / aspnetcore_10_0), but nixos-25.05 does not appear to
# carry a released .NET 10 (it reached nixpkgs unstable as release candidates in autumn 2025), and a
# framework-dependent sched needs both Microsoft.NETCore.App and Microsoft.AspNetCore.App of the same major
# version on every node; Debian and most plain distributions have no .NET in their archives at all. The
# ~45 MiB more per board and upgrade is cheap next to that. Framework-dependent stays for machines with both.
#
# Why ReadyToRun: the runtime's own assemblies come precompiled; ReadyToRun also precompiles sched's and its
# packages' (Akka, Serilog, Docker.DotNet, ...), so the slow in-order A55 cores do not JIT them at every start.
# Measured under qemu-aarch64 (the agent from start to /healthz answering): 18 s of CPU instead of 27 s. It
# builds with warnings as errors and only affects publishing (the normal build is untouched); it costs 17 MiB
# (5.6 MiB compressed) and a slower publish (here about 4.5 instead of 1.5 minutes, on a busy 2-core VM).
# Not used: trimming (PublishTrimmed) fails with warnings as errors (IL2026 in NodeActor's reflection over
# message types), and Akka and its serializers depend on reflection, so trimmed output would be unsafe anyway.
#
# The build's intermediate files go to artifacts/obj-linux-arm64/ (dotnet --artifacts-path), never to src/*/obj:
# a linux-arm64 restore there would rewrite project.assets.json under a concurrent `dotnet build` of the
# solution. artifacts/ is git-ignored.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RID=linux-arm64
mode=self-contained
r2r=true
out="$ROOT/artifacts/$RID"

usage() { sed -n "6,10p" "$0" | sed "s/^# \{0,1\}//" >&2; exit "${1:-2}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --self-contained) mode=self-contained ;;
    --framework-dependent) mode=framework-dependent ;;
    --no-ready-to-run) r2r=false ;;
    --output | -o)
      [ $# -ge 2 ] || usage
      out=$2
      shift
      ;;
    -h | --help) usage 0 ;;
    *)
      echo "publish: unknown argument '$1'" >&2
      usage
      ;;
  esac
  shift
done

case "$out" in
  /*) ;;
  *) out="$PWD/$out" ;;
esac
case "$out" in
  "" | / | "$ROOT" | "$ROOT/" | "$ROOT/src"* | "$ROOT/tests"* | "$ROOT/deploy"*)
    echo "publish: refusing to replace '$out'; give a folder of its own with --output" >&2
    exit 2
    ;;
esac
tarball="$(dirname "$out")/sched-$(basename "$out").tar.gz"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Published into a fresh folder next to DIR, which replaces DIR only when the build succeeded: a failed build
# leaves the last good one in place, and switching between self-contained and framework-dependent leaves none
# of the other's files.
staging="$out.new"
rm -rf "$staging"
mkdir -p "$staging"
trap 'rm -rf "$staging"' EXIT

args=(
  publish "$ROOT/src/Scheduler/Scheduler.csproj"
  -c Release -r "$RID" -o "$staging"
  --artifacts-path "$ROOT/artifacts/obj-$RID"
  --nologo -v quiet
  -p:PublishReadyToRun="$r2r"
  # Only English satellite resources (Spectre and others ship translations nobody reads on a server).
  -p:SatelliteResourceLanguages=en
)
if [ "$mode" = self-contained ]; then
  args+=(--self-contained true)
else
  args+=(--self-contained false)
fi

echo "publish: dotnet publish sched for $RID ($mode, ReadyToRun $r2r) into $out"
started=$(date +%s)
dotnet "${args[@]}"
[ -x "$staging/sched" ] || { echo "publish: no executable sched in $staging after dotnet publish" >&2; exit 1; }
rm -rf "$out"
mv "$staging" "$out"
trap - EXIT

# The tarball: sched/ at its top, so `tar -xzf sched-linux-arm64.tar.gz -C /opt` gives /opt/sched/sched.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  --transform "s,^\.,sched," -C "$out" -cf - . | gzip -n -6 >"$tarball.new"
mv "$tarball.new" "$tarball"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
tree_bytes=$(du -sb "$out" | cut -f1)
tar_bytes=$(stat -c %s "$tarball")
echo "publish: done in $(($(date +%s) - started)) s ($mode, ReadyToRun $r2r)"
echo "publish: $out: $(mib "$tree_bytes") ($(find "$out" -type f | wc -l) files)"
echo "publish: $tarball: $(mib "$tar_bytes")"
