// The daemon as kvmrtc.service runs it: on the sockets a socket unit bound (here
// systemd-socket-activate, which passes them the same way), and SIGHUP, which restarts it on
// a valid config and changes nothing on a broken one.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Daemon, daemonPath, testConfig } from './lib/daemon.mjs';
import { httpRequest } from './lib/users.mjs';

// A port nothing listens on yet: the namespace is the test's own, so nothing takes it after.
function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function configOn(port) {
  return testConfig({ video: { width: 640, height: 360 } }).replace('port=0', `port=${port}`);
}

// systemd-socket-activate binds `port` and starts the daemon on the first connection to it,
// as kvmrtc.socket does; the connection is made once it says it listens.
async function socketActivated(port, configText) {
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-service-'));
  const configPath = join(dir, 'kvmrtc.conf');
  writeFileSync(configPath, configText);
  let first;
  const daemon = await Daemon.run('systemd-socket-activate',
    ['-l', `127.0.0.1:${port}`, daemonPath, '--config', configPath], dir, {
      started: async (starting) => {
        await starting.waitForLog(new RegExp(`Listening on 127\\.0\\.0\\.1:${port}`));
        first = connect(port, '127.0.0.1');
        first.on('error', () => {});
      },
    });
  return { daemon, first };
}

test('on a socket the service manager bound, the daemon serves without binding its port', async () => {
  const port = await freePort();
  const { daemon, first } = await socketActivated(port, configOn(port));
  try {
    assert.equal(daemon.url, `http://127.0.0.1:${port}/`);
    const health = await httpRequest(new URL('/healthz', daemon.url));
    assert.equal(health.status, 200);
    assert.equal(health.body, 'ok\n');
  } finally {
    first.destroy();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('a passed socket on another port than the config says is refused, naming both', async () => {
  const [bound, configured] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-service-'));
  const configPath = join(dir, 'kvmrtc.conf');
  writeFileSync(configPath, configOn(configured));
  const daemon = await Daemon.run('systemd-socket-activate',
    ['-l', `127.0.0.1:${bound}`, daemonPath, '--config', configPath], dir, {
      started: async (starting) => {
        await starting.waitForLog(/Listening on/);
        connect(bound, '127.0.0.1').on('error', () => {});
      },
    }).catch((error) => error);
  assert.ok(daemon instanceof Error, 'the daemon listened anyway');
  assert.match(daemon.message, new RegExp(`a socket on port ${bound}, but \\[server\\] port is ` +
    `${configured}: make ListenStream= in kvmrtc.socket match them`));
});

test('SIGHUP with a broken config changes nothing; with a valid one the daemon applies it and ' +
  'goes on', async () => {
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  const configPath = join(daemon.dir, 'kvmrtc.conf');
  try {
    writeFileSync(configPath, '[video]\nwidth=wide\n');
    daemon.child.kill('SIGHUP');
    await daemon.waitForLog(/reload: .*kvmrtc\.conf has errors; kvmrtc goes on with the config/);
    assert.match(daemon.log, /\[video\] width/);
    assert.equal((await httpRequest(new URL('/healthz', daemon.url))).status, 200);

    writeFileSync(configPath, testConfig({ video: { width: 1280, height: 720 } }));
    daemon.child.kill('SIGHUP');
    await daemon.waitForLog(/reload: video\.width changed: applied \(rebuild\)/);
    assert.equal(daemon.child.exitCode, null, 'the daemon stopped');
    assert.equal((await httpRequest(new URL('/healthz', daemon.url))).status, 200);
  } finally {
    await daemon.stop();
  }
});
