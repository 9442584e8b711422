#!/usr/bin/env bash
# Prints the N slowest tests of the .trx files under a results directory, so a run shows where its time went.
# Usage: tests/slowest.sh <results-dir> [N]
set -euo pipefail
dir=$1
count=${2:-15}
shopt -s nullglob globstar
files=("$dir"/**/*.trx)
[ ${#files[@]} -gt 0 ] || { echo "slowest: no .trx files under $dir"; exit 0; }
echo "slowest: the $count slowest tests (h:mm:ss, outcome, test)"
grep -ohE '<UnitTestResult [^>]*>' "${files[@]}" |
  sed -E 's/.*testName="([^"]*)".*duration="([^"]*)".*outcome="([^"]*)".*/\2 \3 \1/' |
  sort -r | head -n "$count" | sed -E 's/^([0-9:]{8})\.?[0-9]* /  \1 /'
