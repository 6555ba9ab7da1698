#!/bin/bash
# provisioning/provision.sh run on the machine itself ("local"), as a user provisions a board,
# checked in a fresh Debian 12 root (scripts/test-fresh.sh makes one; never on a machine you
# use: it installs the package and enables its units). A Raspberry Pi OS bookworm config.txt
# stands in for /boot/firmware/config.txt. As root:
#   tests/package/check-provisioning.sh DIR    DIR holds kvmrtc_*.deb (scripts/build-package.sh)
# Prints "ok N - …" / "not ok N - …" per check and "kvmrtc: P passed, F failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls "$1"/kvmrtc_*.deb 2>/dev/null | head -n 1)
export DEBIAN_FRONTEND=noninteractive
# shellcheck source=tests/package/checks.sh
. tests/package/checks.sh

[ -n "$deb" ] || { echo "not ok 1 - no kvmrtc_*.deb in $1"; failed=1; finish; }

boot=/var/tmp/boot-firmware/config.txt
mkdir -p "${boot%/*}"
# The end of Raspberry Pi OS bookworm's own file: model sections that put the port in host mode.
cat >"$boot" <<'CONFIG'
# For more options and information see
# http://rptl.io/configtxt
dtparam=audio=on
camera_auto_detect=1
auto_initramfs=1
arm_64bit=1

[cm4]
otg_mode=1

[cm5]
dtoverlay=dwc2,dr_mode=host

[all]
CONFIG
original=$(cat "$boot")

log=/var/tmp/provision.log
provision() {  # provision [ansible-playbook options]: one run, its output kept in $log
  provisioning/provision.sh local "$deb" -e "kvmrtc_boot_config=$boot" "$@" >"$log" 2>&1
  local status=$?
  cat "$log"
  return $status
}
recap() { grep -E '^localhost +:' "$log"; }

no_package() {
  local output
  output=$(provisioning/provision.sh local 2>&1) && return 1
  printf '%s\n' "$output" | grep -q 'provision.sh HOST PACKAGE'
}
ok "without a package it says how to call it" no_package

first_run() {
  provision || return 1
  recap | grep -qE 'changed=[1-9]' || { echo "the first run changed nothing"; return 1; }
  echo "# first run: $(recap | tr -s ' ')"
}
ok "the first run installs ansible-core and the package and provisions the machine" first_run

installed() {
  dpkg-query -W -f='${Status}' kvmrtc | grep -q 'install ok installed' || return 1
  for unit in kvmrtc-gadget.service kvmrtc.socket kvmrtc.service; do
    [ "$(systemctl is-enabled "$unit")" = enabled ] || { echo "$unit is not enabled"; return 1; }
  done
}
ok "the package is installed and its three units are enabled" installed

boot_config() {
  # The file as it was, then one block at the end, under [all], whatever section came before.
  [ "$(head -n "$(printf '%s\n' "$original" | wc -l)" "$boot")" = "$original" ] ||
    { echo "the file's own lines changed"; cat "$boot"; return 1; }
  tail -n 4 "$boot" | tr '\n' '|' |
    grep -qx '# BEGIN kvmrtc (provisioning/board.yml)|\[all\]|dtoverlay=dwc2,dr_mode=peripheral|# END kvmrtc (provisioning/board.yml)|' ||
    { echo "the block is not at the end:"; cat "$boot"; return 1; }
  grep -qx dwc2 /etc/modules-load.d/kvmrtc-dwc2.conf || { echo "dwc2 is not loaded at boot"; return 1; }
  grep -q 'The boot config changed; reboot the board' "$log" || { echo "no word of a reboot"; return 1; }
}
ok "config.txt gains dwc2 in device mode under [all]; dwc2 loads at boot; a reboot is asked for" \
  boot_config

second_run() {
  cp "$boot" /var/tmp/config-after-first-run
  provision || return 1
  recap | grep -q ' changed=0 ' || { echo "the second run changed things"; return 1; }
  cmp -s "$boot" /var/tmp/config-after-first-run || { echo "config.txt changed"; return 1; }
  ! grep -q 'reboot the board' "$log" || { echo "a reboot was asked for again"; return 1; }
  echo "# second run: $(recap | tr -s ' ')"
}
ok "a second run changes nothing" second_run

bridge() {
  provision -e kvmrtc_hdmi_bridge_overlay=tc358743 || return 1
  [ "$(grep -c '^# BEGIN kvmrtc' "$boot")" -eq 1 ] || { echo "two blocks"; cat "$boot"; return 1; }
  tail -n 3 "$boot" | head -n 2 | tr '\n' '|' |
    grep -qx 'dtoverlay=dwc2,dr_mode=peripheral|dtoverlay=tc358743|' || { cat "$boot"; return 1; }
}
ok "naming an HDMI bridge adds its overlay to the same block" bridge

finish
