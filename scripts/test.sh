#!/bin/bash
# Installs what is missing, builds, and runs every test: formatting, the provisioning playbook's
# checks, Catch2 unit tests, the end-to-end tests in headless Chromium and Firefox inside a
# loopback-only network namespace, and the hardening suite in its bounded form (fuzzing, and the
# unit and end-to-end tests on a sanitized build: scripts/test-hardening.sh; KVMRTC_HARDENING=0
# leaves it out of a quick local run). The package's own tests install and purge it, so they run
# in fresh roots only: scripts/test-fresh.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh -Dtests=enabled

passed=0
failed=0
count() {  # count PASSED FAILED
  passed=$((passed + $1))
  failed=$((failed + $2))
}

echo "== formatting (clang-format)"
if git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror; then
  count 1 0
else
  count 0 1
fi

echo "== provisioning playbook (ansible-playbook --syntax-check, ansible-lint)"
if ansible-playbook --syntax-check --inventory localhost, provisioning/board.yml &&
  ansible-lint --offline --nocolor provisioning/board.yml; then
  count 1 0
else
  count 0 1
fi

echo "== unit tests (Catch2)"
unit_log=build/unit-tests.log
build/tests/unit/unit-tests 2>&1 | tee "$unit_log" || true
if summary=$(grep -Eo 'All tests passed \([0-9]+ assertions? in [0-9]+ test cases?\)' "$unit_log"); then
  count "$(echo "$summary" | grep -Eo '[0-9]+ test case' | grep -Eo '[0-9]+')" 0
elif summary=$(grep -E '^test cases:' "$unit_log"); then
  count "$(echo "$summary" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)" \
        "$(echo "$summary" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)"
else
  echo "the unit tests did not finish"
  count 0 1
fi

echo "== end-to-end tests (headless Chromium, loopback-only network namespace)"
e2e_log=build/e2e-tests.log
tests/e2e/run.sh 2>&1 | tee "$e2e_log" || true
e2e_passed=$(grep -E '^# pass [0-9]+' "$e2e_log" | awk '{s += $3} END {print s + 0}')
e2e_failed=$(grep -E '^# fail [0-9]+' "$e2e_log" | awk '{s += $3} END {print s + 0}')
if [ "$e2e_passed" -eq 0 ] && [ "$e2e_failed" -eq 0 ]; then
  echo "the end-to-end tests did not run"
  e2e_failed=1
fi
count "$e2e_passed" "$e2e_failed"

if [ "${KVMRTC_HARDENING:-1}" != 0 ]; then
  hardening_log=build/hardening.log
  scripts/test-hardening.sh 2>&1 | tee "$hardening_log" || true
  if summary=$(grep -E '^kvmrtc: [0-9]+ passed, [0-9]+ failed$' "$hardening_log" | tail -n 1); then
    count "$(echo "$summary" | sed 's/kvmrtc: \([0-9]*\) passed.*/\1/')" \
      "$(echo "$summary" | sed 's/.* \([0-9]*\) failed/\1/')"
  else
    echo "the hardening suite did not finish"
    count 0 1
  fi
fi

echo "Screenshots of what the browser showed: build/e2e-artifacts/"
echo "kvmrtc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
