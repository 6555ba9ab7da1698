#!/bin/sh
# Installs the Debian 12 packages kvmrtc needs that are not installed yet.
#   install-deps.sh run    build and run the daemon
#   install-deps.sh test   also run the tests (Catch2, headless Chromium, network namespaces)
set -eu

# gstreamer1.0-x holds GStreamer's pango plugin: timeoverlay, the test pattern's running clock.
run_packages="meson ninja-build pkg-config g++ libglib2.0-dev libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev libsoup-3.0-dev
  libjson-glib-dev libnice-dev libcrypt-dev libqrencode-dev libgnutls28-dev libsystemd-dev libssl-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-nice gstreamer1.0-x
  fonts-dejavu-core"
# systemd: systemd-socket-activate, which passes sockets to the daemon as kvmrtc.socket does.
# ansible-core and ansible-lint check provisioning/board.yml. clang and its runtime libraries
# build the hardening suite (libFuzzer, sanitizers: scripts/test-hardening.sh); llvm brings
# llvm-symbolizer, which names the frames of a sanitizer report: the LeakSanitizer
# suppressions match those names.
test_packages="catch2 chromium firefox-esr iproute2 util-linux gstreamer1.0-tools clang-format systemd
  clang libclang-rt-14-dev llvm
  ansible-core ansible-lint"

case "${1:-run}" in
  run) wanted="$run_packages" ;;
  test) wanted="$run_packages $test_packages" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

missing=""
for package in $wanted; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
# Node.js may come from Debian or from elsewhere (with its own npm); only the commands matter.
if [ "${1:-run}" = test ]; then
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

[ -z "$missing" ] && exit 0
echo "Installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "Run this as root, or install:$missing" >&2
    exit 1
  fi
  sudo="sudo"
else
  sudo=""
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086 # the list is meant to split into package names
$sudo apt-get install -y -q --no-install-recommends $missing
