#!/bin/sh
# Installs Redocly CLI, which lints the served OpenAPI document (tests/Scheduler.Tests/Http/OpenApiLintSpecs.cs),
# into a fixed folder with npm. Node.js 20.19+ or 22.12+ must be on the machine. Safe to run again.
set -eu

VERSION=2.77.0
DIR=/opt/sched-test-tools/redocly
BIN="$DIR/node_modules/.bin/redocly"

say() { echo "install-redocly: $*"; }

installed=$(cd "$DIR" 2>/dev/null && npm ls --depth=0 --json @redocly/cli 2>/dev/null | grep -o '"version": *"[^"]*"' | head -n 1 | grep -o '[0-9][^"]*' || true)
if [ -x "$BIN" ] && [ "$installed" = "$VERSION" ]; then
  say "redocly $VERSION already installed in $DIR"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { say "npm is missing; install Node.js 20.19+ (and npm) first"; exit 1; }
mkdir -p "$DIR"
say "installing @redocly/cli@$VERSION into $DIR"
npm install --prefix "$DIR" --no-audit --no-fund --save-exact "@redocly/cli@$VERSION"
say "ok: redocly $(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$BIN" --version 2>/dev/null | tail -n 1)"
