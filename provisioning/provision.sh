#!/bin/bash
# Provisions a board for kvmrtc with board.yml (Ansible), from this machine or on the board.
#   provision.sh HOST PACKAGE [ansible-playbook options]
#     HOST     the board, as ssh reaches it (pi@kvm.local), or "local" for the machine it runs on
#     PACKAGE  kvmrtc_<version>_<arch>.deb (scripts/build-package.sh makes one)
# Examples:
#   provisioning/provision.sh pi@kvm.local build/package/kvmrtc_0.9.0-1_arm64.deb --ask-become-pass
#   sudo provisioning/provision.sh local kvmrtc_0.9.0-1_arm64.deb -e kvmrtc_reboot=true
# Installs ansible-core from Debian's archive when it is missing. A second run changes nothing.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  sed -n '2,9s/^# \{0,1\}//p' "$0" >&2
  exit 2
fi
host=$1
package=$(realpath "$2")
shift 2
[ -f "$package" ] || { echo "provision.sh: no package at $package" >&2; exit 2; }

if ! command -v ansible-playbook >/dev/null 2>&1; then
  echo "provision.sh: installing ansible-core"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends ansible-core
fi

if [ "$host" = local ]; then
  target=(--inventory localhost, --connection local)
else
  target=(--inventory "$host,")
fi
exec ansible-playbook "${target[@]}" -e "kvmrtc_deb=$package" "$@" \
  "$(dirname "$(realpath "$0")")/board.yml"
