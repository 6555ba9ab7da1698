#!/bin/bash
# The README's run command as a new user types it: ./scripts/run.sh, which installs what is
# missing, builds and serves the built-in default. Passes when it prints the URL, that URL
# serves the page, and Ctrl+C's signal then stops it with exit status 0. scripts/test-fresh.sh
# runs this in a fresh Debian 12 root; the end-to-end test readme-run.test.mjs also plays the
# page's video once the test command has installed a browser.
set -euo pipefail
cd "$(dirname "$0")/.."

output=$(mktemp -u)
mkfifo "$output"
./scripts/run.sh >"$output" 2>&1 &
run_pid=$!
exec 3<"$output"
rm "$output"

url=""
while IFS= read -r line <&3; do
  printf '%s\n' "$line"
  if [[ $line =~ listening\ on\ (http://[^[:space:]]+) ]]; then
    url=${BASH_REMATCH[1]}
    break
  fi
done
if [ -z "$url" ]; then
  status=0
  wait "$run_pid" || status=$?
  echo "check-run-command: the run command ended (status $status) without printing a URL"
  exit 1
fi
# The daemon logs on; someone must keep reading, or it blocks on a full pipe.
cat <&3 &

# The page, fetched with bash alone: nothing but what the run command installed is needed.
[[ $url =~ ^http://([^:/]+):([0-9]+)/ ]]
host=${BASH_REMATCH[1]}
port=${BASH_REMATCH[2]}
exec 4<>"/dev/tcp/$host/$port"
printf 'GET / HTTP/1.0\r\nHost: %s:%s\r\n\r\n' "$host" "$port" >&4
response=$(cat <&4)
exec 4<&-
status_line=${response%%$'\r'*}

kill -INT "$run_pid"
exit_status=0
wait "$run_pid" || exit_status=$?

failed=0
if [[ ! $status_line =~ ^HTTP/1\.[01]\ 200 ]]; then
  echo "check-run-command: GET $url answered '$status_line', not 200"
  failed=1
elif [[ $response != *'src="./app.js"'* ]]; then
  echo "check-run-command: GET $url answered a page that does not load the viewer (app.js)"
  failed=1
fi
if [ "$exit_status" -ne 0 ]; then
  echo "check-run-command: the daemon exited with status $exit_status after Ctrl+C's SIGINT"
  failed=1
fi
[ "$failed" -eq 0 ] && echo "check-run-command: $url served the page; SIGINT stopped the daemon with status 0"
exit "$failed"
