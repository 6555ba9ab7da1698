// Login sessions for the end-to-end tests: users files made with the daemon's own `kvmrtc user`
// command, TOTP codes computed here (RFC 6238) rather than by the code under test, raw HTTP
// requests that can carry a forged Host, Origin or cookie, and a login through the real page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request as httpRequestRaw } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { daemonPath } from './daemon.mjs';
import { newPage, waitForState } from './browser.mjs';

// ---- the users file, through the CLI the administrator uses ----

// Runs `kvmrtc ARGS...` with `input` on its standard input; fails the test unless it exits 0.
export function kvmrtc(args, { input = '' } = {}) {
  const run = spawnSync(daemonPath, args, { input, encoding: 'utf8', timeout: 20000 });
  assert.equal(run.status, 0,
    `kvmrtc ${args.join(' ')} exited ${run.status} (${run.signal ?? 'no signal'}):\n` +
    `${run.stdout}\n${run.stderr}`);
  return run;
}

// A fresh folder for one daemon's users file; the file itself is made by the first `addUser`.
export function usersFilePath(prefix = 'kvmrtc-users-') {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'users');
}

export function addUser(file, name, role, password) {
  return kvmrtc(['user', 'add', name, '--role', role, '--users-file', file], { input: `${password}\n` });
}

export function changePassword(file, name, password) {
  return kvmrtc(['user', 'passwd', name, '--users-file', file], { input: `${password}\n` });
}

export function removeUser(file, name) {
  return kvmrtc(['user', 'del', name, '--users-file', file]);
}

// Gives `name` a second factor; returns its base32 secret as the command printed it.
export function enableTotp(file, name) {
  const { stdout } = kvmrtc(['user', 'totp', name, '--users-file', file]);
  const match = stdout.match(/enter the secret ([A-Z2-7]+=*):/);
  assert.ok(match, `no secret in the output of kvmrtc user totp:\n${stdout}`);
  assert.match(stdout, /otpauth:\/\/totp\//);
  return match[1];
}

// The CLI has no command for a new role (only del + add, which is a removal first): this
// edits the file as an administrator with an editor would, `name:role:hash[:totp]` per line,
// written beside it and renamed over it so the daemon never reads half a file.
export function setRole(file, name, role) {
  let found = false;
  const lines = readFileSync(file, 'utf8').split('\n').map((line) => {
    const fields = line.split(':');
    if (fields[0] !== name || line.startsWith('#')) return line;
    found = true;
    fields[1] = role;
    return fields.join(':');
  });
  assert.ok(found, `no user ${name} in ${file}`);
  const next = `${file}.new`;
  writeFileSync(next, lines.join('\n'), { mode: 0o600 });
  renameSync(next, file);
}

// The [auth] section of a daemon's config that logs in against `file`.
export function authSection(file, more = '') {
  return `[auth]\nmode=password\nusers-file=${file}\n${more}`;
}

// ---- TOTP (RFC 6238 over RFC 4226), independent of the daemon's implementation ----

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

// The 6-digit code of `key` (a Buffer) at `unixSeconds`.
export function totpCode(key, unixSeconds = Date.now() / 1000) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const number = ((digest[offset] & 0x7f) << 24) | (digest[offset + 1] << 16) |
    (digest[offset + 2] << 8) | digest[offset + 3];
  return String(number % 1000000).padStart(6, '0');
}

// A code that stays current for at least `marginS` more seconds: a code read in the last
// moments of its 30 s step could be a step old when the daemon checks it. Waiting out the step
// is waiting for the clock, which has no event to await.
export async function freshTotpCode(secret, marginS = 4) {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 30 - marginS) {
    await new Promise((r) => setTimeout(r, (30 - intoStep + 0.2) * 1000));
  }
  return totpCode(base32Decode(secret));
}

// ---- raw HTTP: exactly the headers given (fetch would not send a forged Host) ----

// `url`: absolute (http or https). `headers.Host` replaces the one node would send. `ca`: the
// certificate an https request must verify against. Resolves to { status, headers, body }, the
// body parsed as JSON in `json` when it is; status 101 for a WebSocket upgrade that went
// through (its socket is closed at once), 'closed' for a connection closed unanswered.
// `via` dials that address while the URL's name stays in Host and in the TLS name check: a
// fresh debootstrap root has no /etc/hosts, so "localhost" does not resolve there.
export function httpRequest(url, { method = 'GET', headers = {}, body, ca, via } = {}) {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  const allHeaders = { ...headers };
  if (body !== undefined) {
    allHeaders['Content-Type'] ??= 'application/json';
    allHeaders['Content-Length'] = String(Buffer.byteLength(body));
  }
  const hasHost = Object.keys(allHeaders).some((name) => name.toLowerCase() === 'host');
  if (!hasHost) allHeaders.Host = target.host;
  return new Promise((done, fail) => {
    const sent = send({
      host: via ?? target.hostname.replace(/^\[|\]$/g, ''), port: target.port,
      path: `${target.pathname}${target.search}`, method, headers: allHeaders, setHost: false,
      agent: false, ...(ca ? { ca } : {}), ...(via ? { servername: target.hostname } : {}),
    });
    sent.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        done({ status: response.statusCode, headers: response.headers, body: text, json });
      });
    });
    sent.on('upgrade', (response, socket) => {
      socket.destroy();
      done({ status: response.statusCode, headers: response.headers, body: '', json: undefined });
    });
    sent.on('error', (error) => (['ECONNRESET', 'EPIPE'].includes(error.code)
      ? done({ status: 'closed', error }) : fail(error)));
    sent.end(body);
  });
}

// The headers of a WebSocket upgrade to the signaling socket, with an optional cookie and Origin.
export function upgradeHeaders({ cookie, origin, host } = {}) {
  return {
    Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...(host ? { Host: host } : {}),
    ...(cookie ? { Cookie: cookie } : {}),
    ...(origin ? { Origin: origin } : {}),
  };
}

// The status of a signaling-socket upgrade to `base` (101 when the daemon took it).
export async function upgradeStatus(base, options = {}, { ca } = {}) {
  return (await httpRequest(new URL('/api/ws', base), { headers: upgradeHeaders(options), ca }))
    .status;
}

// GET /api/session with `cookie` ('name=value' or nothing): { status, json }.
export function sessionOf(base, cookie, { ca, headers = {} } = {}) {
  return httpRequest(new URL('/api/session', base),
    { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers }, ca });
}

// The session cookie a response set, as { pair: 'name=value', name, value, attributes, raw }.
export function sessionCookie(response) {
  const raw = [response.headers['set-cookie'] ?? []].flat()
    .find((line) => /^(__Host-)?kvmrtc_session=/.test(line));
  if (!raw) return null;
  const [pair, ...rest] = raw.split(';').map((part) => part.trim());
  const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
  const attributes = new Map(rest.filter(Boolean).map((part) => {
    const at = part.indexOf('=');
    return at < 0 ? [part.toLowerCase(), true] : [part.slice(0, at).toLowerCase(), part.slice(at + 1)];
  }));
  return { pair, name, value, attributes, raw };
}

// POST /api/login through the API: { status, json, headers, cookie (sessionCookie or null) }.
export async function apiLogin(base, user, password, { totp, ca, headers = {} } = {}) {
  const response = await httpRequest(new URL('/api/login', base), {
    method: 'POST', headers, ca,
    body: JSON.stringify({ user, password, ...(totp !== undefined ? { totp } : {}) }),
  });
  return { ...response, cookie: sessionCookie(response) };
}

// Logs in through the API and fails the test unless that worked; returns 'name=value'.
export async function apiSession(base, user, password, options) {
  const answer = await apiLogin(base, user, password, options);
  assert.equal(answer.status, 200, `login of ${user}: ${answer.status} ${answer.body}`);
  assert.ok(answer.cookie, `login of ${user} set no session cookie: ${JSON.stringify(answer.headers)}`);
  return answer.cookie.pair;
}

// ---- the real login page ----

// A page (its own browser context, so its own cookies) that reports every close of its
// WebSockets to the test: page.socketCloses gets { url, code } and page.nextSocketClose()
// resolves on the next one. A binding rather than state in the page, because a page whose
// session ends leaves for /login right away and its own state with it.
export async function trackedPage(browser) {
  const page = await newPage(browser);
  page.on('pageerror', (error) => console.error('page error:', error));
  page.socketCloses = [];
  const waiters = new Set();
  page.nextSocketClose = () => new Promise((done) => waiters.add(done));
  page.waitForSocketClose = async (predicate, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = page.socketCloses.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no such socket close; closes so far: ${JSON.stringify(page.socketCloses)}`);
      }
      await Promise.race([page.nextSocketClose(), new Promise((r) => setTimeout(r, left))]);
    }
  };
  await page.exposeFunction('kvmrtcTestSocketClosed', (url, code) => {
    page.socketCloses.push({ url, code });
    for (const waiter of waiters) waiter();
    waiters.clear();
  });
  page.socketUrls = [];
  page.on('websocket', (socket) => page.socketUrls.push(socket.url()));
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('close', (event) => {
          window.kvmrtcTestSocketClosed?.(String(args[0]), event.code);
        });
      }
    };
  });
  return page;
}

// Logs in through /login as a person would and waits for the live picture. `page`: reuse one
// (e.g. after its session ended), else a new tracked page. `totpSecret`: answer the code step.
export async function logInThroughPage(browser, base, user, password,
  { page, totpSecret, state = 'live' } = {}) {
  page ??= await trackedPage(browser);
  // The app without a session sends the browser to the login page.
  await page.goto(new URL('/', base).href);
  await page.waitForURL((url) => url.pathname === '/login');
  await page.fill('#user', user);
  await page.fill('#password', password);
  await page.click('#login');
  if (totpSecret) {
    await page.locator('#totp-row').waitFor({ state: 'visible' });
    await page.fill('#totp', await freshTotpCode(totpSecret));
    await page.click('#login');
  }
  await page.waitForURL((url) => url.pathname === '/');
  await waitForState(page, state);
  return page;
}

// The page's session cookie as 'name=value', read from its browser context (it is HttpOnly:
// the page itself cannot see it).
export async function pageCookie(page) {
  const cookie = (await page.context().cookies())
    .find((c) => /^(__Host-)?kvmrtc_session$/.test(c.name));
  assert.ok(cookie, 'the page holds no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

// Resolves once `pattern` (a /g RegExp) matches the daemon's log at least `count` times: for a
// line that an earlier step may have written already.
export function waitForLogCount(daemon, pattern, count, options) {
  return daemon.waitForLog({
    test: (log) => (log.match(pattern)?.length ?? 0) >= count,
    toString: () => `${pattern} (${count} times)`,
  }, options);
}
