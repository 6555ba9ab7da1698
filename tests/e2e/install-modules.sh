#!/bin/sh
# Installs the npm packages of package-lock.json into node_modules unless the installed ones
# came from this very lock: a checkout where an older lock was installed must not keep it.
set -eu
cd "$(dirname "$0")"
stamp=node_modules/.installed-from-lock.json
if cmp -s package-lock.json "$stamp" 2>/dev/null; then exit 0; fi
npm ci --no-audit --no-fund --silent
cp package-lock.json "$stamp"
