#!/usr/bin/env bash
# Usage: tests/podman5.sh   (as root, after `dotnet build Scheduler.sln -c Debug` and deploy/images/build.sh)
# The podman-facing tests once more, against podman 5 (Debian 13's, in the root deploy/lib/podman5-root.sh keeps):
# the runtime adapter's integration tests and the dev agent's end-to-end classes. tests/run.sh runs it after the
# main suite and counts its results. Prints dotnet test's output; exit status 0 only if podman 5 came up and every
# test passed. The podman 5 service is stopped again at the end, whatever happened.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PODMAN5=deploy/lib/podman5-root.sh
RUNTIME_TESTS="FullyQualifiedName~Sched.NodeActor.Tests.Runtime.PodmanRuntime"
DEV_AGENT_TESTS="FullyQualifiedName~Sched.EndToEnd.DevModeSpecs|FullyQualifiedName~Sched.EndToEnd.WatchAndLogsSpecs"

started=$(date +%s)
trap '"$PODMAN5" down' EXIT
"$PODMAN5" up
socket=$("$PODMAN5" socket-path)
echo "podman 5 pass: podman $("$PODMAN5" version) (its API's /version) on $socket, ready after $(($(date +%s) - started)) s"

export SCHED_TEST_PODMAN_SOCKET=$socket
status=0
dotnet test tests/NodeActor.Tests -c Debug --no-build --nologo --filter "$RUNTIME_TESTS" || status=$?
dotnet test tests/EndToEnd -c Debug --no-build --nologo --filter "$DEV_AGENT_TESTS" || status=$?
echo "podman 5 pass: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started)) s"
exit "$status"
