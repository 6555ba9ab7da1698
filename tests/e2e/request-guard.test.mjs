// Who may talk to the daemon at all, tried as an attacker would: a rebound host name, a page of
// another origin opening the signaling socket, a huge request body, no login away from
// loopback; and the headers every response carries.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, daemonPath, testConfig } from './lib/daemon.mjs';

let daemon;
let port;
before(async () => {
  daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  port = Number(new URL(daemon.url).port);
});
after(async () => {
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

// One raw HTTP request with exactly these headers (fetch would not send a forged Host). With
// `declaredLength` it promises a body it never sends: the answer must not wait for it.
function rawRequest({ path = '/', method = 'GET', headers = {}, declaredLength } = {}) {
  return new Promise((done, fail) => {
    const sent = request({ host: '127.0.0.1', port, path, method, headers, setHost: false, agent: false });
    sent.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => done({ status: response.statusCode, headers: response.headers, body }));
    });
    sent.on('upgrade', (response, socket) => {
      socket.destroy();
      done({ status: response.statusCode, headers: response.headers, body: '' });
    });
    // A connection closed without an answer is a refusal too.
    sent.on('error', (error) => (error.code === 'ECONNRESET' ? done({ status: 'closed' }) : fail(error)));
    if (declaredLength !== undefined) {
      sent.setHeader('Content-Length', String(declaredLength));
      sent.flushHeaders();
    } else {
      sent.end();
    }
  });
}

const host = () => `127.0.0.1:${port}`;
const upgrade = (origin) => ({
  Host: host(), Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...(origin ? { Origin: origin } : {}),
});

test('a request for a host name that is not the daemon\'s gets 421 (DNS rebinding)', async () => {
  // libsoup itself drops a Host whose port is not its listener's, before the daemon sees it.
  const other = await rawRequest({ headers: { Host: `127.0.0.1:${port + 1}` } });
  assert.ok(other.status === 421 || other.status === 'closed', `port + 1: ${other.status}`);
  for (const forged of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
    const page = await rawRequest({ headers: { Host: forged } });
    assert.equal(page.status, 421, forged);
    const socket = await rawRequest({ path: '/api/ws', headers: { ...upgrade(), Host: forged } });
    assert.equal(socket.status, 421, forged);
  }
  // HTTP/1.1 without any Host: libsoup refuses it itself.
  assert.equal((await rawRequest({ headers: {} })).status, 400);
  await daemon.waitForLog(/refused a request from 127\.0\.0\.1 for the host 'evil\.example:\d+'/);
  assert.equal((await rawRequest({ headers: { Host: host() } })).status, 200);
  assert.equal((await rawRequest({ headers: { Host: `localhost:${port}` } })).status, 200);
});

test('a signaling socket from a page of another origin gets 403; the daemon\'s own gets 101',
  async () => {
    for (const foreign of [`http://evil.example:${port}`, `http://127.0.0.1:${port + 1}`,
      `https://127.0.0.1:${port}`, 'null']) {
      assert.equal((await rawRequest({ path: '/api/ws', headers: upgrade(foreign) })).status, 403,
        foreign);
    }
    await daemon.waitForLog(/by a page of another origin \(http:\/\/evil\.example:\d+\)/);
    assert.equal((await rawRequest({ path: '/api/ws', headers: upgrade(`http://${host()}`) }))
      .status, 101);
    // No Origin: not a browser, nothing a page could forge.
    assert.equal((await rawRequest({ path: '/api/ws', headers: upgrade() })).status, 101);
  });

test('a state-changing request from another origin gets 403 before anything else', async () => {
  const answer = await rawRequest({
    path: '/api/status', method: 'POST',
    headers: { Host: host(), Origin: 'http://evil.example', 'Content-Length': '0' },
  });
  assert.equal(answer.status, 403);
});

test('a request body over 64 KiB is refused with 413 before it is sent', async () => {
  const answer = await rawRequest({
    path: '/api/status', method: 'POST', headers: { Host: host() },
    declaredLength: 64 * 1024 * 1024,
  });
  assert.equal(answer.status, 413);
  await daemon.waitForLog(/refused a 67108864-byte request body from 127\.0\.0\.1/);
  // The daemon goes on answering.
  assert.equal((await rawRequest({ path: '/api/status', headers: { Host: host() } })).status, 200);
});

test('every response carries the security headers; the API\'s are never stored', async () => {
  const page = await rawRequest({ headers: { Host: host() } });
  const policy = page.headers['content-security-policy'];
  assert.match(policy, /script-src 'self';/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.doesNotMatch(policy, /unsafe-eval/);
  assert.equal(page.headers['x-content-type-options'], 'nosniff');
  assert.equal(page.headers['referrer-policy'], 'no-referrer');
  assert.doesNotMatch(page.body, /<script>/, 'the page has an inline script');
  const api = await rawRequest({ path: '/api/status', headers: { Host: host() } });
  assert.equal(api.headers['cache-control'], 'no-store');
  assert.match(api.headers['content-security-policy'], /default-src 'self'/);
  const refused = await rawRequest({ headers: { Host: 'evil.example' } });
  assert.equal(refused.headers['x-content-type-options'], 'nosniff');
});

test('mode=none away from loopback starts only with allow-insecure, and warns each time', async () => {
  const insecure = await Daemon.start(testConfig({
    video: { width: 640, height: 360 },
    extra: '[auth]\nmode=none\nallow-insecure=true\n',
  }).replace('address=127.0.0.1', 'address=0.0.0.0'));
  try {
    await insecure.waitForLog(/\[auth\] mode=none on 0\.0\.0\.0: anyone who can reach this address/);
  } finally {
    assert.deepEqual(await insecure.stop(), { code: 0, signal: null }, insecure.log);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-insecure-'));
  const refused = join(dir, 'kvmrtc.conf');
  writeFileSync(refused, testConfig({ extra: '[auth]\nmode=none\n' })
    .replace('address=127.0.0.1', 'address=0.0.0.0'));
  const run = spawnSync(daemonPath, ['--config', refused], { encoding: 'utf8', timeout: 10000 });
  assert.equal(run.status, 1);
  assert.match(run.stderr, /mode=none on the non-loopback address 0\.0\.0\.0 would let anyone/);
});
