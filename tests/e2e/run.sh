#!/bin/sh
# Runs the end-to-end tests inside a private network namespace that has only loopback, so no
# test traffic can leave the machine. Arguments name test files; default: all of them.
set -eu
cd "$(dirname "$0")"
./install-modules.sh
if [ "$#" -eq 0 ]; then set -- ./*.test.mjs; fi
if [ "$(id -u)" -eq 0 ]; then netns="unshare -n"; else netns="unshare -rn"; fi
# One file at a time: each runs a daemon and Chromium, and two at once would share two cores.
status=0
for file in "$@"; do
  $netns sh -c 'ip link set lo up && exec node --test "$1"' sh "$file" || status=1
done
exit $status
