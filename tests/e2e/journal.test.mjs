// Under systemd the daemon's stderr is the journal, and its lines go there as structured
// entries: `journalctl KVMRTC_VIEWER=N` follows one viewer's life, KVMRTC_USER one user's.
// Here a real systemd-journald runs in a mount namespace of its own (its sockets and its
// journal on tmpfs), and the daemon runs under systemd-cat, as a unit's stderr would be.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { daemonPath, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer } from './lib/browser.mjs';
import { httpRequest } from './lib/users.mjs';

const isRoot = process.getuid() === 0;
const PORT = 18471;
const url = `http://127.0.0.1:${PORT}/`;
let namespace;
let browser;

// The shell that owns the mount namespace: journald, then the daemon under systemd-cat.
function startInJournalNamespace(configPath, stateDir) {
  // A chroot's / is no mount point and cannot be made private: then /run, bound onto itself,
  // is made private, so the tmpfs mounts below never reach the machine's own /run.
  const script = `
    set -e
    mount --make-rprivate / 2>/dev/null || { mount --bind /run /run && mount --make-private /run; }
    mkdir -p /run/systemd /run/log
    mount -t tmpfs tmpfs /run/systemd
    mount -t tmpfs tmpfs /run/log
    /lib/systemd/systemd-journald &
    while [ ! -S /run/systemd/journal/stdout ]; do sleep 0.05; done
    STATE_DIRECTORY="$2" exec systemd-cat -t kvmrtc "$1" --config "$3"`;
  const shell = spawn('unshare', ['-m', '--propagation', 'unchanged', 'sh', '-c', script, 'sh',
    daemonPath, stateDir, configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  shell.errors = '';
  shell.stderr.on('data', (chunk) => { shell.errors += chunk; });
  shell.exited = false;
  shell.on('exit', () => { shell.exited = true; });
  return shell;
}

// Entries of the namespace's journal that match, as objects (journalctl -o json).
// --root and --wd: entering a mount namespace leaves a chroot (as in scripts/test-fresh.sh) for
// the namespace's own root unless told to take the target's.
const inNamespace = () => ['--target', String(namespace.pid), '--mount', '--root', '--wd'];

function journal(...matches) {
  const out = execFileSync('nsenter', [...inNamespace(),
    'journalctl', '--no-pager', '-o', 'json', ...matches], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

async function until(condition, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => { setTimeout(done, 100); });
  }
}

before(async () => {
  if (!isRoot) return;
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-journal-'));
  const configPath = join(dir, 'kvmrtc.conf');
  writeFileSync(configPath, testConfig({ video: { width: 640, height: 360 } })
    .replace('port=0', `port=${PORT}`));
  namespace = startInJournalNamespace(configPath, dir);
  const outcome = await until(async () => {
    if (namespace.exited) return 'ended';
    return (await httpRequest(new URL('/healthz', url))).status === 200 && 'up';
  }, 'the daemon under systemd-cat to answer');
  assert.equal(outcome, 'up', `the journal namespace ended: ${namespace.errors}`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (namespace && !namespace.exited) {
    // The daemon stops on SIGTERM; the namespace's journald goes with its mount namespace.
    execFileSync('nsenter', [...inNamespace(), 'sh', '-c',
      'kill -TERM $(pidof kvmrtc); kill -TERM $(pidof systemd-journald)']);
  }
});

test('journalctl KVMRTC_VIEWER=N shows that viewer\'s life, each line with its address',
  { skip: !isRoot && 'needs root: it mounts tmpfs and runs journald in a mount namespace' },
  async () => {
    const page = await openViewer(browser, url);
    const started = await until(() => Promise.resolve(journal('SYSLOG_IDENTIFIER=kvmrtc')
      .find((entry) => /^viewer \d+ started/.test(entry.MESSAGE))), 'a viewer started entry');
    const viewer = started.KVMRTC_VIEWER;
    assert.match(viewer, /^\d+$/);
    assert.equal(started.KVMRTC_ADDRESS, '127.0.0.1');
    assert.equal(started.PRIORITY, '6');
    await page.close();
    const life = await until(() => {
      const entries = journal(`KVMRTC_VIEWER=${viewer}`);
      return Promise.resolve(entries.some((entry) => / closed /.test(entry.MESSAGE)) && entries);
    }, 'the viewer closed entry');
    assert.deepEqual(life.map((entry) => entry.MESSAGE.replace(/:.*/, '').replace(/ \(.*/, '')),
      [`viewer ${viewer} started for 127.0.0.1, no login, gets H264`, `viewer ${viewer} closed`]);
    // Lines about nobody in particular carry no such field.
    const listening = journal('SYSLOG_IDENTIFIER=kvmrtc')
      .find((entry) => /video source/.test(entry.MESSAGE));
    assert.ok(listening, 'no "video source" entry');
    assert.equal(listening.KVMRTC_VIEWER, undefined);
  });
