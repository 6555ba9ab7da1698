#!/bin/bash
# The hardening suite, on kvmrtc built by clang with AddressSanitizer and UndefinedBehavior-
# Sanitizer (build-hardening/, meson's b_sanitize, and -Dfuzzing=true):
#   1. every fuzz target of tests/fuzz for FUZZ_SECONDS each (scripts/fuzz.sh);
#   2. the Catch2 unit tests, LeakSanitizer on;
#   3. end-to-end files against the sanitized daemon, LeakSanitizer on: every time a test stops
#      the daemon, its log must hold no sanitizer report (tests/e2e/lib/daemon.mjs).
# scripts/test.sh runs it bounded (60 s a target, the e2e files in HARDENING_E2E below); the
# long form: FUZZ_SECONDS=1800 HARDENING_E2E=all scripts/test-hardening.sh
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
build=build-hardening
suppressions=$PWD/tests/sanitizers/lsan.supp

passed=0
failed=0
count() {  # count PASSED FAILED
  passed=$((passed + $1))
  failed=$((failed + $2))
}

echo "== hardening: building kvmrtc with clang, ASan, UBSan and fuzzing instrumentation in $build/"
if [ ! -f "$build/build.ninja" ]; then
  # -O1: the sanitizers' own advice, fast enough for video at 30 fps.
  CXX=clang++ meson setup "$build" -Dtests=enabled -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Doptimization=1 -Ddebug=true >/dev/null || { echo "kvmrtc: 0 passed, 1 failed"; exit 1; }
fi
if ! meson compile -C "$build" >"$build.log" 2>&1; then
  tail -n 40 "$build.log"
  echo "kvmrtc: 0 passed, 1 failed"
  exit 1
fi

echo "== hardening: fuzz targets, ${FUZZ_SECONDS:=60} s each"
export FUZZ_SECONDS
fuzz_log=$build/fuzz.log
scripts/fuzz.sh "$build" | tee "$fuzz_log"
fuzz_passed=$(sed -n 's/^fuzz targets: \([0-9]*\) passed.*/\1/p' "$fuzz_log")
fuzz_failed=$(sed -n 's/^fuzz targets: [0-9]* passed, \([0-9]*\) failed/\1/p' "$fuzz_log")
[ -n "$fuzz_passed" ] || fuzz_failed=1
count "${fuzz_passed:-0}" "${fuzz_failed:-0}"

# Full stacks for every allocation, so a suppression can name a library's one-time setup.
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$suppressions
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

echo "== hardening: unit tests (Catch2) under ASan, UBSan and LeakSanitizer"
unit_log=$build/unit-tests.log
"$build/tests/unit/unit-tests" >"$unit_log" 2>&1
unit_status=$?
if summary=$(grep -Eo 'All tests passed \([0-9]+ assertions? in [0-9]+ test cases?\)' "$unit_log") &&
  [ "$unit_status" -eq 0 ]; then
  echo "$summary"
  count 1 0
else
  grep -E 'FAILED|ERROR|runtime error|SUMMARY|^test cases' "$unit_log" | head -n 40
  count 0 1
fi

# The files that check behaviour rather than frame rates, which the sanitized build (twice as
# slow, and slower still unwinding every allocation) cannot hold to.
default_e2e="signaling-errors limits hid hid-devices login roles session-end reload settings
  snapshot source-failure request-guard metrics viewer-churn warm-up tls shutdown"
e2e=${HARDENING_E2E:-$default_e2e}
echo "== hardening: end-to-end tests against the sanitized daemon ($([ "$e2e" = all ] && echo "every file" || echo "$e2e" | wc -w) files)"
files=()
if [ "$e2e" != all ]; then
  for name in $e2e; do files+=("$name.test.mjs"); done
fi
e2e_log=$build/e2e-tests.log
KVMRTC_SANITIZED=1 KVMRTC_BINARY=$PWD/$build/src/kvmrtc KVMRTC_BROWSERS=chromium \
  tests/e2e/run.sh "${files[@]}" 2>&1 | tee "$e2e_log" >/dev/null
e2e_passed=$(grep -E '^# pass [0-9]+' "$e2e_log" | awk '{s += $3} END {print s + 0}')
e2e_failed=$(grep -E '^# fail [0-9]+' "$e2e_log" | awk '{s += $3} END {print s + 0}')
# Each failure with its first lines (the assertion's message): a CI log shows only what this prints.
grep -A 10 '^not ok' "$e2e_log" | grep -v '^    [a-zA-Z#]* (file://\|^    async ' | head -n 80
# A report's own lines: a CI log shows only what this prints.
grep -A 60 "the daemon's sanitizer report" "$e2e_log" | head -n 200
echo "end-to-end under sanitizers: $e2e_passed passed, $e2e_failed failed"
[ "$e2e_passed" -eq 0 ] && [ "$e2e_failed" -eq 0 ] && e2e_failed=1
count "$e2e_passed" "$e2e_failed"

echo "kvmrtc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
