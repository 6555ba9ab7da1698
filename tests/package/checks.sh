# Sourced by the package checks: each check prints "ok N - …" or "not ok N - …" with the tail of
# its output, and finish prints "kvmrtc: P passed, F failed" and exits with the verdict.
passed=0
failed=0
count=0

ok() {  # ok DESCRIPTION COMMAND...: runs COMMAND, counts and prints the result
  local what=$1
  shift
  count=$((count + 1))
  if output=$("$@" 2>&1); then
    echo "ok $count - $what"
    printf '%s\n' "$output" | grep '^# ' || true
    passed=$((passed + 1))
  else
    echo "not ok $count - $what"
    printf '%s\n' "$output" | sed 's/^/#   /' | tail -n 40
    failed=$((failed + 1))
  fi
}

finish() {
  echo "kvmrtc: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
