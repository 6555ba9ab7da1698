#!/bin/bash
# The README's two commands on a new user's machine, exactly as CI runs them (.ci/run): a fresh
# Debian 12 (bookworm) minbase root with only git and ca-certificates, the commit at HEAD cloned
# into it, then as root inside it the run command (scripts/check-run-command.sh: it installs,
# builds and serves the page) and the test command (scripts/test.sh). Then the Debian package:
# built in that root (scripts/build-package.sh, lintian included), installed, served, reinstalled
# and purged in a second fresh root (tests/package/check-install.sh), and a board provisioned
# there with Ansible (tests/package/check-provisioning.sh). Run it as root.
#
# Nothing installed on this machine reaches the root: only the debootstrap tarball is cached
# (in $KVMRTC_FRESH_CACHE, default /var/cache/kvmrtc-fresh-root; it is remade after a week).
# The root gets this machine's ways of reaching the archives (resolv.conf, local CA
# certificates, /etc/npmrc, apt's proxy) and is unmounted and removed on every exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS

fail() {  # fail WHY: one line that says why, and a summary that counts it as a failure
  echo "test-fresh: $1"
  echo "kvmrtc: 0 passed, 1 failed"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot and mounts)"
commit=$(git rev-parse HEAD) || fail "$repo is not a git checkout"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "test-fresh: uncommitted changes are not tested: the root gets commit $commit"
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends debootstrap >/dev/null; } ||
    fail "cannot install debootstrap on this machine"
fi

arch=$(dpkg --print-architecture)
cache=${KVMRTC_FRESH_CACHE:-/var/cache/kvmrtc-fresh-root}
tarball=$cache/bookworm-minbase-git-ca-certificates-$arch.tar.gz
work=$(mktemp -d /var/tmp/kvmrtc-fresh.XXXXXX)
root=""
child=""

cleanup() {
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  # Every mount was made in a mount namespace that ended with its processes; this only guards
  # against a root left mounted anyway, which rm must never descend into.
  if grep -q " $work/" /proc/self/mounts; then
    umount -R -l "$root" 2>/dev/null || true
  fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

declare -A phase_start phase_seconds
phase_order=()
begin_phase() {  # begin_phase NAME: ends the phase under way, starts NAME
  end_phase
  current_phase=$1
  phase_order+=("$1")
  phase_start[$1]=$SECONDS
}
end_phase() {
  if [ -n "${current_phase:-}" ]; then
    phase_seconds[$current_phase]=$((SECONDS - ${phase_start[$current_phase]}))
  fi
  current_phase=""
}

# Runs a command as root in the root, in its own mount and PID namespaces: /proc, /sys, /dev
# and a fresh /dev/shm are mounted there, and when the command ends (or is killed) every
# process it left and every mount go with the namespaces. The environment is a root login's.
enter_root='
  set -e
  root=$1
  shift
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$root/dev/shm"
  exec chroot "$root" /usr/bin/env -i HOME=/root LOGNAME=root USER=root SHELL=/bin/bash \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb "$@"
'
proxies=()
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -n "${!name:-}" ] && proxies+=("$name=${!name}")
done

# in_root LIMIT MARKERS COMMAND...: runs COMMAND in the root for at most LIMIT seconds and
# passes its output through, keeping a copy in $work/last.log. MARKERS is "pattern|phase;…": a
# line that matches a pattern starts that phase (for the timings). Returns the command's status.
in_root() {
  local limit=$1 markers=$2 output=$work/output.fifo line marker
  shift 2
  mkfifo "$output"
  timeout --kill-after=10 "$limit" unshare --mount --pid --fork --kill-child --propagation private \
    sh -c "$enter_root" enter "$root" /usr/bin/env "${proxies[@]}" "$@" >"$output" 2>&1 &
  child=$!
  : >"$work/last.log"
  while IFS= read -r line; do
    printf '%s\n' "$line"
    printf '%s\n' "$line" >>"$work/last.log"
    IFS=';' read -ra marker_list <<<"$markers"
    for marker in "${marker_list[@]}"; do
      # A phase starts once: the test suite runs the run command, which builds again.
      if [[ $line == ${marker%%|*} && -z ${phase_start[${marker#*|}]:-} ]]; then
        begin_phase "${marker#*|}"
        break
      fi
    done
  done <"$output"
  rm -f "$output"
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

echo "== test-fresh: a fresh Debian 12 root for commit $commit"
begin_phase root
mkdir -p "$cache"
if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +7)" ]; then
  echo "test-fresh: the debootstrap tarball from $(date -r "$tarball" '+%F %T') ($tarball)"
else
  base=$work/base
  echo "test-fresh: debootstrap --variant=minbase --include=git,ca-certificates bookworm"
  # Its own mount namespace: a debootstrap that is interrupted leaves nothing mounted.
  unshare --mount --propagation private \
    debootstrap --variant=minbase --include=git,ca-certificates bookworm "$base" \
    http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log"; fail "debootstrap could not make a Debian 12 root (log above)"; }
  tar -C "$base" --numeric-owner -czf "$tarball.new" . || fail "cannot write $tarball"
  mv "$tarball.new" "$tarball"
  rm -rf --one-file-system "$base"
fi
# make_root DIR: a new root from the tarball in DIR (it becomes $root, where in_root runs), with
# Debian 12's archives, this machine's ways of reaching them, and HEAD cloned to /root/kvmrtc.
make_root() {
  root=$1
  mkdir "$root"
  tar -C "$root" --numeric-owner -xzf "$tarball" || fail "cannot unpack $tarball"

  # A Debian 12 install's archives: the release, its updates and its security updates.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  cp --remove-destination -L /etc/resolv.conf "$root/etc/resolv.conf"
  if compgen -G '/usr/local/share/ca-certificates/*' >/dev/null; then
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    in_root 300 "" update-ca-certificates >/dev/null || fail "update-ca-certificates failed in the root"
  fi
  [ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
  apt-config dump | grep -i '::proxy' >"$root/etc/apt/apt.conf.d/01proxy-of-the-host" || true
  git clone --quiet --no-local "$repo" "$root/root/kvmrtc" || fail "cannot clone $repo into the root"
  git -C "$root/root/kvmrtc" checkout --quiet --detach "$commit"
}
make_root "$work/root"

passed=0
failed=0
echo "== test-fresh: the README's run command (./scripts/run.sh)"
begin_phase "run: install"
if in_root 1800 "== building kvmrtc*|run: build;kvmrtc: listening on*|run: serve" \
  /root/kvmrtc/scripts/check-run-command.sh; then
  passed=$((passed + 1))
else
  echo "test-fresh: the README's run command failed in the fresh root"
  failed=$((failed + 1))
fi

# count_summary WHAT: adds the last "kvmrtc: N passed, N failed" line of the command just run.
count_summary() {
  local summary
  if summary=$(grep -E '^kvmrtc: [0-9]+ passed, [0-9]+ failed$' "$work/last.log" | tail -n 1); then
    passed=$((passed + $(echo "$summary" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+')))
    failed=$((failed + $(echo "$summary" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+')))
  else
    echo "test-fresh: $1 ended without its summary line"
    failed=$((failed + 1))
  fi
}

echo "== test-fresh: the README's test command (./scripts/test.sh)"
begin_phase "test: install"
in_root 3600 "== building kvmrtc*|test: build;== formatting*|test: run;== hardening*|test: hardening" \
  bash -c 'cd /root/kvmrtc && ./scripts/test.sh' || true
end_phase
count_summary "the test command"

echo "== test-fresh: versions and times"
in_root 60 "" bash -c 'cd /root/kvmrtc/tests/e2e/node_modules &&
  printf "Node.js %s, %s, %s, playwright-core %s, puppeteer-core %s\n" "$(node --version)" \
    "$(chromium --version 2>/dev/null)" "$(firefox-esr --version 2>/dev/null)" \
    "$(node -p "require(\"./playwright-core/package.json\").version")" \
    "$(node -p "require(\"./puppeteer-core/package.json\").version")"' || true

# The package: built here from the clean checkout (its unit tests just ran, hence nocheck; the
# long form is scripts/build-package.sh alone), then installed in a second fresh root, which
# must start with nothing of this one.
echo "== test-fresh: the Debian package (scripts/build-package.sh)"
begin_phase "package: build"
mkdir "$work/package"
if in_root 1800 "" bash -c 'cd /root/kvmrtc && DEB_BUILD_OPTIONS=nocheck scripts/build-package.sh /root/package' &&
  cp "$root"/root/package/kvmrtc_*.deb "$work/package/"; then
  passed=$((passed + 1))
else
  echo "test-fresh: the package did not build, or lintian found tags"
  failed=$((failed + 1))
fi
rm -rf --one-file-system "$root"

if compgen -G "$work/package/kvmrtc_*.deb" >/dev/null; then
  echo "== test-fresh: the package installed in a second fresh root (tests/package)"
  begin_phase "package: install"
  make_root "$work/root2"
  cp -r "$work/package" "$root/root/package"
  in_root 1800 "" /root/kvmrtc/tests/package/check-install.sh /root/package || true
  count_summary "tests/package/check-install.sh"
  begin_phase "provisioning"
  in_root 900 "" /root/kvmrtc/tests/package/check-provisioning.sh /root/package || true
  count_summary "tests/package/check-provisioning.sh"
  end_phase
fi

for phase in "${phase_order[@]}"; do
  printf '  %-14s %4d s\n' "$phase" "${phase_seconds[$phase]:-0}"
done
printf '  %-14s %4d s\n' total $((SECONDS - started))
echo "kvmrtc: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
