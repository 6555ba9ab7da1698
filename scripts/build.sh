#!/bin/sh
# Configures (once) and builds kvmrtc into build/. Arguments are meson options (for example
# -Dtests=enabled); they are applied to a build directory that already exists too.
set -eu
cd "$(dirname "$0")/.."
echo "== building kvmrtc in build/"
if [ -f build/build.ninja ]; then
  [ "$#" -eq 0 ] || meson configure build "$@"
else
  meson setup build "$@"
fi
meson compile -C build
