#!/bin/bash
# Builds the Debian package from the commit at HEAD as Debian builds one: its Build-Depends
# installed from debian/control, `dpkg-buildpackage -us -uc -b` in a clean clone, then lintian,
# which must find no error, no warning and no informational tag that is not overridden with
# its reason. Run as root on Debian 12 (it installs what the build needs).
#   scripts/build-package.sh [DIR]     the .deb, .changes, .buildinfo and lintian.txt go to DIR
#                                      (default build/package)
#   DEB_BUILD_OPTIONS=nocheck ...      without the unit tests inside the build (CI ran them)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build/package}")
export DEBIAN_FRONTEND=noninteractive

tools="dpkg-dev debhelper fakeroot lintian"
missing=""
for package in $tools; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $package"
done
if [ -n "$missing" ]; then
  apt-get update -q >/dev/null
  # shellcheck disable=SC2086 # the list is meant to split into package names
  apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
apt-get build-dep -y -q ./ >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-local . "$work/kvmrtc"
git -C "$work/kvmrtc" checkout --quiet --detach "$(git rev-parse HEAD)"
echo "== dpkg-buildpackage -us -uc -b (DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-})"
(cd "$work/kvmrtc" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
  { tail -n 60 "$work/build.log"; echo "build-package: dpkg-buildpackage failed"; exit 1; }
rm -rf "$out"
mkdir -p "$out"
cp "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
cp "$work/build.log" "$out/build.log"
echo "== dpkg -c $(basename "$out"/kvmrtc_*.deb)"
dpkg -c "$out"/kvmrtc_*.deb
echo "== lintian --info --fail-on error,warning,info"
status=0
lintian --info --display-info --fail-on error,warning,info "$out"/*.changes >"$out/lintian.txt" 2>&1 ||
  status=$?
cat "$out/lintian.txt"
[ "$status" -eq 0 ] || { echo "build-package: lintian reported the tags above"; exit 1; }
echo "build-package: lintian reports nothing; the package is in $out"
