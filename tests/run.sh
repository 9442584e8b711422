#!/usr/bin/env bash
# Installs what the tests need (podman, its API socket, the .NET SDK, the local test images)
# and runs the whole suite: unit, actor, podman integration and end-to-end tests; then the podman-facing tests
# again against podman 5 (tests/podman5.sh).
# Ends with one line "tests: N passed, N failed, N skipped"; exit status 0 only if nothing failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

deploy/lib/prepare-host.sh
deploy/lib/install-test-tools.sh
deploy/lib/install-redocly.sh
deploy/lib/arm64-sysroot.sh

dotnet build Scheduler.sln -c Debug --nologo -v quiet
log=$(mktemp)
results=$(mktemp -d)
set +e
dotnet test Scheduler.sln -c Debug --no-build --nologo --logger trx --results-directory "$results" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
bash tests/slowest.sh "$results" 15
rm -rf "$results"
# The podman-facing tests again, against podman 5 (the cluster's major version) next to this machine's 4.3.1.
log5=$(mktemp)
bash tests/podman5.sh 2>&1 | tee "$log5"
podman5_status=${PIPESTATUS[0]}
set -e

# Every benchmark at small size, so none rots: a benchmark that cannot measure fails the run, a missed goal does not.
bench_status=0
bash tests/Benchmarks/run.sh --quick || bench_status=$?

sum() { cat "$log" "$log5" | grep -oE "$1: +[0-9]+" | awk '{ s += $NF } END { print s + 0 }'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
assemblies=$(grep -cE '^(Passed|Failed)!' "$log" || true)
rm -f "$log" "$log5"
echo "tests: $passed passed, $failed failed, $skipped skipped (in $assemblies test assemblies, then the podman 5 pass)"
if [ "$assemblies" -lt 4 ] && [ "$status" -eq 0 ]; then
  echo "tests: expected 4 or more test assemblies to report, saw $assemblies"
  exit 1
fi
if [ "$podman5_status" -ne 0 ]; then
  echo "tests: the podman 5 pass (tests/podman5.sh) failed (exit $podman5_status)"
  [ "$status" -ne 0 ] || status=$podman5_status
fi
if [ "$bench_status" -ne 0 ]; then
  echo "tests: benchmarks (tests/Benchmarks/run.sh --quick) could not measure (exit $bench_status)"
  [ "$status" -ne 0 ] || status=$bench_status
fi
exit "$status"
