#!/bin/bash
# Runs every libFuzzer target of tests/fuzz for FUZZ_SECONDS each (default 60), from its seed
# corpus, in a copy under the build directory so the repository's seeds stay as they are. Prints
# each target's executions and coverage; a crash stops that target and keeps its input
# (BUILD/fuzz-findings/). The build is scripts/test-hardening.sh's (clang, ASan, UBSan).
#   scripts/fuzz.sh [BUILD_DIR]          FUZZ_SECONDS=1800 for a long run; FUZZ_ONLY=name for one
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-hardening}
seconds=${FUZZ_SECONDS:-60}
suppressions=$PWD/tests/sanitizers/lsan.supp
findings=$build/fuzz-findings
mkdir -p "$findings"

passed=0
failed=0
for seeds in tests/fuzz/corpus/*/; do
  name=$(basename "$seeds")
  [ -n "${FUZZ_ONLY:-}" ] && [ "$name" != "$FUZZ_ONLY" ] && continue
  target=$build/tests/fuzz/fuzz-$name
  corpus=$build/fuzz-corpus/$name
  mkdir -p "$corpus"
  cp -n "$seeds"* "$corpus/" 2>/dev/null
  log=$build/fuzz-$name.log
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$suppressions \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/$name-" "$corpus" >"$log" 2>&1
  status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
  files=$(find "$corpus" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    printf 'fuzz %-18s %9s runs in %ss, %s, corpus %s inputs: ok\n' "$name" "${runs:-?}" \
      "$seconds" "${coverage:-no coverage line}" "$files"
    passed=$((passed + 1))
  else
    printf 'fuzz %-18s FAILED after %s runs (exit %s); the input is in %s:\n' "$name" \
      "${runs:-?}" "$status" "$findings"
    grep -E 'ERROR|runtime error|SUMMARY|#[0-9]+ 0x.* in ' "$log" | head -n 30
    failed=$((failed + 1))
  fi
done
echo "fuzz targets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
