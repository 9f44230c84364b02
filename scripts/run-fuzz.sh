#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time over its committed seed corpus.
# Usage: run-fuzz.sh <target> <seed-corpus-dir> <seconds>
# New inputs go to a scratch dir, so the committed corpus is never modified by a test run.
set -euo pipefail
target=$1 seeds=$2 secs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$seeds"
exec "$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work" "$seeds"
