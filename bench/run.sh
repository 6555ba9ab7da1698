#!/bin/sh
# Runs a benchmark inside a loopback-only network namespace, like the end-to-end tests.
#   bench/run.sh viewers.mjs        (BENCH_SIZE=1280x720, BENCH_WINDOW_MS=10000 to change)
set -eu
cd "$(dirname "$0")"
# A fresh checkout works too: what the tests need is what the benchmarks need, and both steps
# return at once when everything is there.
../scripts/install-deps.sh test
../scripts/build.sh
../tests/e2e/install-modules.sh
if [ "$(id -u)" -eq 0 ]; then netns="unshare -n"; else netns="unshare -rn"; fi
exec $netns sh -c 'ip link set lo up && exec node "$1"' sh "${1:-viewers.mjs}"
