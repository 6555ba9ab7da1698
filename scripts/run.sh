#!/bin/sh
# Installs what is missing, builds, and runs the daemon. Without arguments it runs on the
# built-in default (test pattern, HID to files, http://127.0.0.1:8080/); arguments go to kvmrtc.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
scripts/build.sh
exec build/src/kvmrtc "$@"
