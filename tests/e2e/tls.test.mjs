// HTTPS and WSS with the certificate `kvmrtc tls generate` makes, as a user turns TLS on: the
// fingerprint the command prints is the one the daemon logs and the one the browser sees, the
// session cookie gets the __Host- prefix and Secure, a browser told to accept the self-signed
// certificate logs in and plays the picture over wss://, and the plain-HTTP port only redirects.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon } from './lib/daemon.mjs';
import { launchBrowser, measureFrames } from './lib/browser.mjs';
import {
  addUser, apiLogin, authSection, httpRequest, kvmrtc, logInThroughPage, sessionOf,
  trackedPage, upgradeStatus, usersFilePath,
} from './lib/users.mjs';

const PASSWORD = 'alice-password-1';

let browser;
let daemon;
let base;
let ca;
let printed;
let redirectPort;

// A port nothing listens on yet: the namespace is the test's own, so nothing takes it after.
function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

before(async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kvmrtc-tls-')), 'tls');
  printed = kvmrtc(['tls', 'generate', '--out', dir]).stdout;
  ca = readFileSync(join(dir, 'cert.pem'));
  const usersFile = usersFilePath();
  addUser(usersFile, 'alice', 'operator', PASSWORD);
  redirectPort = await freePort();
  daemon = await Daemon.start(`[server]
address=127.0.0.1
port=0
tls-certificate=${join(dir, 'cert.pem')}
tls-key=${join(dir, 'key.pem')}
http-redirect-port=${redirectPort}
[video]
width=640
height=360
[webrtc]
ice-addresses=127.0.0.1
${authSection(usersFile)}`);
  base = daemon.url;
  browser = await launchBrowser({ ignoreCertificateErrors: true });
});

after(async () => {
  await browser?.close();
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

test('tls generate prints the fingerprint the daemon logs, of a key only its owner can read',
  async () => {
    const match = printed.match(/^SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m);
    assert.ok(match, printed);
    // Computed here by Node's own X.509 code, not by the daemon's.
    assert.equal(new X509Certificate(ca).fingerprint256, match[1]);
    const keyPath = printed.match(/^ {2}tls-key=(\S+)$/m)[1];
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    await daemon.waitForLog(new RegExp(`SHA-256 fingerprint ${match[1]}`));
    assert.match(base, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

test('the certificate names the device: 127.0.0.1 and localhost verify against it', async () => {
  // `ca` makes Node verify the chain and the name, as a browser that trusts it would.
  assert.equal((await httpRequest(new URL('/healthz', base), { ca })).status, 200);
  const port = new URL(base).port;
  assert.equal((await httpRequest(`https://localhost:${port}/healthz`,
    { ca, via: '127.0.0.1' })).status, 200);
  const refused = await httpRequest(new URL('/healthz', base)).catch((error) => error);
  assert.match(String(refused.code), /SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/,
    'an unverified request went through: the daemon does not serve that certificate');
});

test('under TLS the session cookie is __Host-kvmrtc_session, Secure, and the plain name is ignored',
  async () => {
    const answer = await apiLogin(base, 'alice', PASSWORD, { ca });
    assert.equal(answer.status, 200, answer.body);
    const { cookie } = answer;
    assert.equal(cookie.name, '__Host-kvmrtc_session');
    assert.equal(cookie.attributes.get('secure'), true);
    assert.equal(cookie.attributes.get('httponly'), true);
    assert.equal(cookie.attributes.get('samesite'), 'Strict');
    assert.equal(cookie.attributes.get('path'), '/');
    assert.equal(cookie.attributes.has('domain'), false, '__Host- forbids a Domain');
    assert.equal((await sessionOf(base, cookie.pair, { ca })).status, 200);
    // A cookie set over plain HTTP by a page of another port could only have the plain name.
    const planted = `kvmrtc_session=${cookie.value}`;
    assert.equal((await sessionOf(base, planted, { ca })).status, 401);
    assert.equal(await upgradeStatus(base, { cookie: planted, origin: base.slice(0, -1) }, { ca }),
      401);
    assert.equal(await upgradeStatus(base, { cookie: cookie.pair, origin: base.slice(0, -1) }, { ca }),
      101);
  });

test('a browser that accepts the certificate logs in and plays the picture over wss://',
  async () => {
    const page = await trackedPage(browser);
    const sockets = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await logInThroughPage(browser, base, 'alice', PASSWORD, { page });
    assert.equal(new URL(page.url()).protocol, 'https:');
    assert.ok(sockets.length > 0 && sockets.every((url) => url.startsWith('wss://')),
      `sockets: ${sockets.join(', ')}`);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === '__Host-kvmrtc_session');
    assert.ok(session?.secure, JSON.stringify(cookies));
    const { fps } = await measureFrames(page, 2000);
    console.log(`# over https/wss: ${fps.toFixed(1)} fps`);
    assert.ok(fps >= 20, `only ${fps} fps over TLS`);
    await page.close();
  });

test('the plain-HTTP port answers only with a redirect to the same path over HTTPS', async () => {
  const port = new URL(base).port;
  const plain = `http://127.0.0.1:${redirectPort}`;
  const page = await httpRequest(`${plain}/login?next=%2F`);
  assert.equal(page.status, 308);
  assert.equal(page.headers.location, `https://127.0.0.1:${port}/login?next=%2F`);
  // 308 keeps the method, so a form posted to http:// is posted again to https://, never
  // answered in plain text.
  const posted = await httpRequest(`${plain}/api/login`,
    { method: 'POST', body: JSON.stringify({ user: 'alice', password: PASSWORD }) });
  assert.equal(posted.status, 308);
  assert.equal(posted.headers['set-cookie'], undefined);
  const named = await httpRequest(`http://localhost:${redirectPort}/`, { via: '127.0.0.1' });
  assert.equal(named.headers.location, `https://localhost:${port}/`);
  const rebound = await httpRequest(`${plain}/`, { headers: { Host: `evil.example:${redirectPort}` } });
  assert.equal(rebound.status, 421);
  // The HTTPS port speaks no plain HTTP.
  const cleartext = await httpRequest(`http://127.0.0.1:${port}/healthz`).catch((error) => error);
  assert.notEqual(cleartext.status, 200);
});
