#!/bin/sh
# Builds sched in Release and installs it as /usr/local/bin/sched (the build lives in /opt/sched).
# Usage: deploy/install.sh [PREFIX]   (default /opt/sched)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${1:-/opt/sched}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish "$ROOT/src/Scheduler/Scheduler.csproj" -c Release -o "$PREFIX" --nologo -v quiet
ln -sf "$PREFIX/sched" /usr/local/bin/sched
echo "install: sched $(/usr/local/bin/sched --version) installed as /usr/local/bin/sched"
