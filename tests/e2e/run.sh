#!/bin/sh
# Runs the end-to-end tests inside a private network namespace that has only loopback, so no
# test traffic can leave the machine. Every file runs in Chromium; the files that Firefox users
# depend on (firefox_files) run in Firefox ESR too. Arguments name test files; default: all.
#   KVMRTC_BROWSERS="chromium firefox"   the browsers to run (default: both)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# Files may be named from the caller's folder (tests/e2e/video.test.mjs) or from this one.
files=""
for file in "$@"; do
  if [ -f "$file" ]; then file=$(realpath "$file"); else file="$here/$(basename "$file")"; fi
  files="$files $file"
done
cd "$here"
./install-modules.sh
if [ -z "$files" ]; then files=$(echo ./*.test.mjs); fi
if [ "$(id -u)" -eq 0 ]; then netns="unshare -n"; else netns="unshare -rn"; fi
firefox_files="video hid source-failure signaling-errors firefox-codecs"
# One file at a time: each runs a daemon and a browser, and two at once would share two cores.
status=0
for browser in ${KVMRTC_BROWSERS:-chromium firefox}; do
  for file in $files; do
    name=$(basename "$file" .test.mjs)
    if [ "$browser" = firefox ]; then
      case " $firefox_files " in *" $name "*) ;; *) continue ;; esac
    elif [ "$name" = firefox-codecs ]; then
      continue
    fi
    echo "# $name in $browser"
    KVMRTC_BROWSER=$browser $netns sh -c 'ip link set lo up && exec node --test "$1"' sh "$file" ||
      status=1
  done
done
exit $status
