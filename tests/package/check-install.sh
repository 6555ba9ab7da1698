#!/bin/bash
# What a user gets from `apt-get install ./kvmrtc_<version>_<arch>.deb` on a fresh Debian 12,
# checked in such a root (scripts/test-fresh.sh makes one; never on a machine you use: it
# installs, reinstalls and purges the package). As root:
#   tests/package/check-install.sh DIR    DIR holds kvmrtc_*.deb (scripts/build-package.sh)
# Prints "ok N - …" / "not ok N - …" per check and "kvmrtc: P passed, F failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
deb=$(ls "$1"/kvmrtc_*.deb 2>/dev/null | head -n 1)
export DEBIAN_FRONTEND=noninteractive
# shellcheck source=tests/package/checks.sh
. tests/package/checks.sh

[ -n "$deb" ] || { echo "not ok 1 - no kvmrtc_*.deb in $1"; failed=1; finish; }
echo "# installing $(basename "$deb")"

# Everything on the disk but the API file systems, scratch space and this test's own files.
snapshot() {
  find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp \
    -o -path /var/tmp -o -path /root -o -path "$repo" \) -prune -o -print | sort
}
snapshot >/var/tmp/files-before
dpkg-query -W -f='${Package}\n' | sort >/var/tmp/packages-before

apt-get update -q >/dev/null
ok "apt-get install ./$(basename "$deb") installs it with its dependencies" \
  apt-get install -y -q "$deb"

# Every package that came in is one kvmrtc declares, or one of theirs (Depends, Recommends).
only_declared() {
  dpkg-query -W -f='${Package}\n' | sort >/var/tmp/packages-after
  apt-cache depends --recurse --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances kvmrtc | grep -v '^ ' | tr -d '<>' | sed 's/:.*//' | sort -u >/var/tmp/closure
  local extra
  extra=$(comm -13 /var/tmp/packages-before /var/tmp/packages-after | comm -23 - /var/tmp/closure)
  echo "# $(comm -13 /var/tmp/packages-before /var/tmp/packages-after | wc -l) packages came in"
  [ -z "$extra" ] || { echo "not declared: $extra"; return 1; }
}
ok "only the declared dependencies came in" only_declared

owned() { dpkg -L kvmrtc | grep -qx "$1" || { echo "dpkg -L kvmrtc lacks $1"; return 1; }; }
files_in_place() {
  local path unit_dir
  for path in /usr/bin/kvmrtc /usr/bin/kvmrtc-gadget /usr/share/kvmrtc/frontend/index.html \
    /usr/share/kvmrtc/frontend/login.html /usr/share/kvmrtc/pipelines/test-pattern.conf \
    /usr/share/kvmrtc/pipelines/v4l2-raw.conf /usr/share/kvmrtc/layouts \
    /etc/kvmrtc/kvmrtc.conf /etc/kvmrtc/pipelines /usr/lib/modules-load.d/kvmrtc.conf \
    /usr/share/man/man1/kvmrtc.1.gz /usr/share/doc/kvmrtc/copyright; do
    owned "$path" || return 1
  done
  unit_dir=$(dpkg -L kvmrtc | grep -E '/systemd/system$' | head -n 1)
  for path in kvmrtc.service kvmrtc.socket kvmrtc-gadget.service; do
    owned "$unit_dir/$path" || return 1
  done
  dpkg -L kvmrtc | grep -qE '/udev/rules.d/[0-9]+-kvmrtc.rules$' || { echo "no udev rule"; return 1; }
  dpkg-query -W -f='${Conffiles}\n' kvmrtc | grep -q '^ /etc/kvmrtc/kvmrtc.conf ' ||
    { echo "/etc/kvmrtc/kvmrtc.conf is not a conffile"; return 1; }
}
ok "the files land where the package promises, the config a conffile" files_in_place

version_matches() {
  local package binary
  package=$(dpkg-query -W -f='${Version}' kvmrtc)
  binary=$(kvmrtc --version)
  [ "$binary" = "kvmrtc $package" ] || { echo "kvmrtc --version: $binary; package: $package"; return 1; }
}
ok "kvmrtc --version prints the package's version" version_matches

mode_of() { stat -c '%U:%G %a' "$1"; }
first_run_state() {
  id -nG kvmrtc | tr ' ' '\n' | grep -qx video || { echo "kvmrtc is not in group video"; return 1; }
  [ "$(mode_of /etc/kvmrtc/users)" = "root:kvmrtc 640" ] || { mode_of /etc/kvmrtc/users; return 1; }
  [ "$(mode_of /etc/kvmrtc/initial-admin-password)" = "root:root 600" ] ||
    { mode_of /etc/kvmrtc/initial-admin-password; return 1; }
  [ "$(mode_of /etc/kvmrtc/tls/key.pem)" = "root:kvmrtc 640" ] || { mode_of /etc/kvmrtc/tls/key.pem; return 1; }
  kvmrtc user list --users-file /etc/kvmrtc/users | grep -q '^admin.*admin' || return 1
  # The password is random: 24 characters, and no two installs share it.
  [ "$(wc -c </etc/kvmrtc/initial-admin-password)" -eq 25 ] || return 1
  ! grep -rqF "$(cat /etc/kvmrtc/initial-admin-password)" /etc/kvmrtc/users /usr/share/kvmrtc
}
ok "postinst made the user kvmrtc, the certificate and admin with a random root-only password" \
  first_run_state

# As the README says to: root adds a user to the default users file, which the service must
# still be able to read.
user_add_keeps_access() {
  printf 'a password for alice\n' | kvmrtc user add alice --role operator || return 1
  [ "$(mode_of /etc/kvmrtc/users)" = "root:kvmrtc 640" ] || { mode_of /etc/kvmrtc/users; return 1; }
  kvmrtc user list | grep -q '^alice.*operator' || return 1
  kvmrtc user del alice
}
ok "kvmrtc user add as root keeps the users file root:kvmrtc 0640" user_add_keeps_access

# The checks below need tools the package does not: only now, after the dependency check. man:
# systemd-analyze verify opens each Documentation=man:… page.
apt-get install -y -q --no-install-recommends chromium nodejs npm iproute2 man-db >/dev/null 2>&1
(cd tests/e2e && ./install-modules.sh) >/dev/null

unit=$(dpkg -L kvmrtc | grep -E '/systemd/system/kvmrtc.service$')
ok "systemd-analyze verify accepts the units" \
  systemd-analyze verify "$unit" "${unit%.service}.socket" "${unit%/*}/kvmrtc-gadget.service"
exposure() {
  local report score
  report=$(systemd-analyze security --offline=true "$unit") || true
  score=$(printf '%s\n' "$report" | sed -n 's/.*Overall exposure level for kvmrtc.service: \([0-9.]*\).*/\1/p')
  echo "# systemd-analyze security: exposure $score"
  [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' ||
    { printf '%s\n' "$report" | grep -v '✓'; return 1; }
}
ok "systemd-analyze security rates kvmrtc.service at exposure 2.0 or less" exposure
systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -n 1 | sed 's/^/# /'


# kvmrtc.service's own command, as its user, with the installed config, on the sockets
# kvmrtc.socket would pass (ports 443 and 80, here on loopback in a network namespace of its
# own). No capture device here: a preset of the user's own replaces the shipped v4l2-raw with
# the test pattern, as a preset in /etc/kvmrtc/pipelines does.
sed 's/^description=.*/description=The test pattern, in place of v4l2-raw/' \
  /usr/share/kvmrtc/pipelines/test-pattern.conf >/etc/kvmrtc/pipelines/v4l2-raw.conf
ok "a preset in /etc/kvmrtc/pipelines replaces the shipped one of its name" \
  sh -c 'kvmrtc --list-pipelines | grep -q "^v4l2-raw .*in place of v4l2-raw"'
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
install -d -o kvmrtc -g kvmrtc -m 0700 /var/lib/kvmrtc /var/cache/kvmrtc
serve_and_log_in() {
  unshare -n sh -c '
    ip link set lo up
    # shellcheck disable=SC2086 # the unit line splits into its words
    systemd-socket-activate -l 127.0.0.1:443 -l 127.0.0.1:80 \
      -E HOME=/var/lib/kvmrtc -E STATE_DIRECTORY=/var/lib/kvmrtc \
      -E GST_REGISTRY=/var/cache/kvmrtc/gstreamer-registry.bin \
      setpriv --reuid=kvmrtc --regid=kvmrtc --init-groups --inh-caps=-all -- $1 \
      >/var/tmp/kvmrtc.log 2>&1 &
    activator=$!
    node tests/package/login-and-watch.mjs "$(cat /etc/kvmrtc/initial-admin-password)"
    status=$?
    kill -TERM $activator
    wait $activator
    exit $status' serve "$exec_start"
}
config_sum=$(md5sum </etc/kvmrtc/kvmrtc.conf)
ok "ExecStart as kvmrtc on its sockets: login with the generated password over HTTPS, live video, a setting saved from the page" \
  serve_and_log_in
settings_kept_apart() {
  [ "$(md5sum </etc/kvmrtc/kvmrtc.conf)" = "$config_sum" ] || { echo "/etc/kvmrtc/kvmrtc.conf changed"; return 1; }
  grep -qx 'bitrate=3100' /var/lib/kvmrtc/settings.conf || { cat /var/lib/kvmrtc/settings.conf; return 1; }
  [ "$(mode_of /var/lib/kvmrtc/settings.conf)" = "kvmrtc:kvmrtc 600" ] || { mode_of /var/lib/kvmrtc/settings.conf; return 1; }
  kvmrtc --check-config /etc/kvmrtc/kvmrtc.conf | grep -q 'settings.conf overrides' ||
    { kvmrtc --check-config /etc/kvmrtc/kvmrtc.conf; return 1; }
}
ok "the page's setting is in /var/lib/kvmrtc/settings.conf; /etc/kvmrtc/kvmrtc.conf is as installed" \
  settings_kept_apart
sed 's/^/# daemon: /' /var/tmp/kvmrtc.log | grep -E 'listening|fingerprint|error|warning' | head -n 12
rm /etc/kvmrtc/pipelines/v4l2-raw.conf

echo "# edited by the package test" >>/etc/kvmrtc/kvmrtc.conf
password_before=$(cat /etc/kvmrtc/initial-admin-password)
reinstall_keeps() {
  apt-get install -y -q --reinstall "$deb" >/dev/null || return 1
  tail -n 1 /etc/kvmrtc/kvmrtc.conf | grep -qx "# edited by the package test" ||
    { echo "the edit is gone"; return 1; }
  [ "$(cat /etc/kvmrtc/initial-admin-password)" = "$password_before" ] || return 1
  [ "$(kvmrtc user list --users-file /etc/kvmrtc/users | wc -l)" -eq 1 ]
}
ok "reinstalling keeps the edited conffile, the users and the password" reinstall_keeps

remove_keeps() {
  apt-get remove -y -q kvmrtc >/dev/null || return 1
  for path in /etc/kvmrtc/kvmrtc.conf /etc/kvmrtc/users /etc/kvmrtc/tls/key.pem; do
    [ -e "$path" ] || { echo "remove took $path"; return 1; }
  done
}
ok "remove keeps the config, the users and the certificate" remove_keeps

# What the package, its scripts or its service made and purge left behind: a path that was not
# on the disk before, that no installed package owns, and that bears kvmrtc's name or belongs
# to its (now deleted) user or group. The dependencies' own triggers leave thousands of such
# paths (caches, byte-code, alternatives) that bear neither.
nothing_left() {
  local uid gid left
  uid=$(id -u kvmrtc)
  gid=$(getent group kvmrtc | cut -d: -f3)
  apt-get purge -y -q kvmrtc >/dev/null || return 1
  getent passwd kvmrtc && { echo "user kvmrtc is left"; return 1; }
  getent group kvmrtc && { echo "group kvmrtc is left"; return 1; }
  # dpkg lists /lib/… where merged /usr keeps /usr/lib/…: own both spellings.
  dpkg-query -W -f='${Package}\n' | xargs dpkg-query -L 2>/dev/null | grep '^/' |
    sed -E 'p; s#^/(bin|sbin|lib|lib32|lib64|libx32)/#/usr/\1/#' | sort -u >/var/tmp/owned
  snapshot | comm -13 /var/tmp/files-before - | comm -23 - /var/tmp/owned >/var/tmp/unowned-new
  # man-db keeps the pages it formatted for systemd-analyze verify: its cache, not the package's.
  left=$( (grep -v '^/var/cache/man/' /var/tmp/unowned-new | grep -i kvmrtc
    find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp \
      -o -path /var/tmp \) -prune -o \
      \( -uid "$uid" -o -gid "$gid" \) -print) | sort -u)
  [ -z "$left" ] || { echo "left after purge:"; echo "$left"; return 1; }
  echo "# $(wc -l </var/tmp/unowned-new) new paths no package owns (the dependencies' caches), none kvmrtc's"
}
ok "purge leaves nothing of the package on the disk" nothing_left

finish
