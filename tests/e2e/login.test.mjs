// [auth] mode=password from the outside: the login page as a person uses it, the API and the
// signaling socket as an attacker tries them (no cookie, an old one, a made-up one, a page of
// another origin, a rebound host name), the cookie's attributes, the second factor, the
// logout button, the rate limit and the structured log lines an administrator greps for.
// The rate limit counts per client address and every request here comes from 127.0.0.1, so
// the lockout tests run last, on a daemon of their own.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, waitForState, waitForText } from './lib/browser.mjs';
import {
  addUser, apiLogin, apiSession, authSection, base32Decode, enableTotp, freshTotpCode,
  httpRequest, logInThroughPage, pageCookie, sessionCookie, sessionOf, totpCode, trackedPage,
  upgradeStatus, usersFilePath, waitForLogCount,
} from './lib/users.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const ALICE = 'alice-password-1';
const TESS = 'tess-password-1';

let browser;
let daemon;
let base;
let host;
let usersFile;
let tessSecret;
const extraDaemons = [];

before(async () => {
  usersFile = usersFilePath();
  addUser(usersFile, 'alice', 'operator', ALICE);
  addUser(usersFile, 'tess', 'operator', TESS);
  tessSecret = enableTotp(usersFile, 'tess');
  daemon = await Daemon.start(testConfig({
    video: { width: 640, height: 360 }, extra: authSection(usersFile),
  }));
  base = daemon.url;
  host = new URL(base).host;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const extra of extraDaemons) {
    assert.deepEqual(await extra.stop(), { code: 0, signal: null }, extra.log);
  }
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

const get = (path, headers = {}) => httpRequest(new URL(path, base), { headers });

test('the test\'s TOTP helper gives RFC 6238\'s own test vector', () => {
  // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082, of which a 6-digit code keeps the last six.
  const key = Buffer.from('12345678901234567890');
  assert.equal(totpCode(key, 59), '287082');
  assert.equal(totpCode(key, 1111111109), '081804');
  assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQ'), Buffer.from('1234567890'));
});

test('without a session the app redirects to /login; only the login page and /healthz are public',
  async () => {
    for (const path of ['/', '/index.html', '/app.js']) {
      const answer = await get(path);
      assert.equal(answer.status, 303, `${path}: ${answer.status}`);
      const location = new URL(answer.headers.location, base);
      assert.equal(location.origin, new URL(base).origin, `${path} → ${answer.headers.location}`);
      assert.equal(location.pathname, '/login', `${path} → ${answer.headers.location}`);
      assert.doesNotMatch(answer.body, /kvm-video|app\.js/, `${path} leaked the app`);
    }
    const login = await get('/login');
    assert.equal(login.status, 200);
    assert.match(login.body, /id="password"/);
    for (const path of ['/login.js', '/login.css', '/theme.css']) {
      assert.equal((await get(path)).status, 200, path);
    }
    assert.equal((await get('/healthz')).status, 200);
    // The API says 401 (a script can act on it), the socket refuses the upgrade.
    for (const path of ['/api/session', '/api/status']) {
      assert.equal((await get(path)).status, 401, path);
    }
    assert.equal(await upgradeStatus(base), 401);
  });

test('a good password in the login page shows the live picture and the user in the toolbar',
  async () => {
    const page = await logInThroughPage(browser, base, 'alice', ALICE);
    await waitForText(page, 'kvm-toolbar [data-user]', 'alice · operator');
    assert.ok(await page.locator('kvm-toolbar button[data-action="logout"]').isVisible());
    // The cookie never reaches the page's scripts, and no other site's request carries it.
    const cookie = (await page.context().cookies()).find((c) => c.name === 'kvmrtc_session');
    assert.ok(cookie, 'no kvmrtc_session cookie in the browser');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie.includes('kvmrtc_session')), false);
    await daemon.waitForLog(/auth: event=login user=alice address=127\.0\.0\.1 outcome=ok/);
    // The viewer the page opened is known by its user and address.
    await daemon.waitForLog(/viewer \d+ started for alice at 127\.0\.0\.1/);
    await keepScreenshot(page, 'login-live');
    await page.close();
  });

test('the session cookie is HttpOnly, SameSite=Strict, Path=/, with a Max-Age, not Secure on http',
  async () => {
    const answer = await apiLogin(base, 'alice', ALICE);
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(answer.json, { user: 'alice', role: 'operator' });
    const { cookie } = answer;
    assert.ok(cookie, `no session cookie: ${JSON.stringify(answer.headers['set-cookie'])}`);
    assert.equal(cookie.name, 'kvmrtc_session', 'a cookie with __Host- needs https');
    assert.match(cookie.value, /^[0-9a-f]{64}$/);
    assert.equal(cookie.attributes.get('path'), '/');
    assert.equal(cookie.attributes.get('httponly'), true);
    assert.equal(cookie.attributes.get('samesite')?.toLowerCase(), 'strict');
    assert.ok(Number(cookie.attributes.get('max-age')) > 0, cookie.raw);
    // A Secure cookie over plain http would never come back: the browser drops it.
    assert.equal(cookie.attributes.has('secure'), false, cookie.raw);
    assert.equal(cookie.attributes.has('domain'), false, cookie.raw);
    // The API answers must not be cached by anyone.
    assert.equal(answer.headers['cache-control'], 'no-store');
    // Each login its own session.
    assert.notEqual((await apiLogin(base, 'alice', ALICE)).cookie.value, cookie.value);
  });

test('a wrong password shows the server\'s error in the page; an unknown user gets the same 401',
  async () => {
    const page = await trackedPage(browser);
    await page.goto(new URL('/login', base).href);
    await page.fill('#user', 'alice');
    await page.fill('#password', 'not-the-password');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.click('#login');
    const response = await answered;
    assert.equal(response.status(), 401);
    const { error } = await response.json();
    assert.ok(typeof error === 'string' && error.length > 0, `no error text: ${error}`);
    await waitForText(page, '#error', error);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.ok(await page.locator('#totp-row').isHidden(), 'a wrong password asked for a code');
    assert.equal(await page.locator('#login').isEnabled(), true, 'the button stays off');
    await daemon.waitForLog(
      /auth: event=failure user=alice address=127\.0\.0\.1 outcome=bad-password/);

    // Whether a name exists must not show: same status, same words, no totp hint.
    const unknown = await apiLogin(base, 'mallory', 'not-the-password');
    const wrong = await apiLogin(base, 'alice', 'not-the-password');
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.json?.error, wrong.json?.error);
    assert.equal(unknown.json?.totp_required, undefined);
    assert.equal(unknown.cookie, null);
    await daemon.waitForLog(
      /auth: event=failure user=mallory address=127\.0\.0\.1 outcome=unknown-user/);
    // A success resets alice's count, so the lockout tests below start from zero.
    await apiSession(base, 'alice', ALICE);
    await page.close();
  });

test('the API and the socket refuse a missing, made-up, logged-out or foreign request', async () => {
  const cookie = await apiSession(base, 'alice', ALICE);
  const session = await sessionOf(base, cookie);
  assert.equal(session.status, 200);
  assert.deepEqual(session.json, { user: 'alice', role: 'operator', mode: 'password' });
  assert.equal(await upgradeStatus(base, { cookie }), 101);
  assert.equal(await upgradeStatus(base, { cookie, origin: `http://${host}` }), 101);

  // No cookie, a cookie of the right shape the daemon never gave out, one of the wrong shape.
  const forged = `kvmrtc_session=${randomBytes(32).toString('hex')}`;
  for (const [what, attempt] of [['none', undefined], ['forged', forged],
    ['malformed', 'kvmrtc_session=abc']]) {
    assert.equal((await sessionOf(base, attempt)).status, 401, `GET /api/session, cookie ${what}`);
    assert.equal(await upgradeStatus(base, { cookie: attempt }), 401, `upgrade, cookie ${what}`);
    const logout = await httpRequest(new URL('/api/logout', base), {
      method: 'POST', headers: attempt ? { Cookie: attempt } : {}, body: '{}',
    });
    assert.equal(logout.status, 401, `POST /api/logout, cookie ${what}`);
  }

  // A page of another origin, even with the browser sending the user's cookie: 403 (the
  // session check comes first, so only a valid cookie gets this far).
  const evil = `http://evil.example:${new URL(base).port}`;
  const foreignLogout = await httpRequest(new URL('/api/logout', base), {
    method: 'POST', headers: { Cookie: cookie, Origin: evil }, body: '{}',
  });
  assert.equal(foreignLogout.status, 403);
  assert.equal(await upgradeStatus(base, { cookie, origin: evil }), 403);
  assert.equal((await sessionOf(base, cookie)).status, 200, 'the foreign logout ended the session');

  // A rebound host name: 421 before anything else, with or without a cookie.
  for (const attempt of [cookie, undefined]) {
    const headers = { Host: `evil.example:${new URL(base).port}` };
    assert.equal((await sessionOf(base, attempt, { headers })).status, 421);
    assert.equal((await get('/', headers)).status, 421);
    assert.equal(await upgradeStatus(base, { cookie: attempt, host: headers.Host }), 421);
  }

  // Logged out: the daemon forgets the session, whatever the browser keeps.
  const logout = await httpRequest(new URL('/api/logout', base), {
    method: 'POST', headers: { Cookie: cookie }, body: '{}',
  });
  assert.equal(logout.status, 200);
  const cleared = sessionCookie(logout);
  assert.ok(cleared, `the logout did not clear the cookie: ${logout.headers['set-cookie']}`);
  const expires = cleared.attributes.get('expires');
  assert.ok(cleared.attributes.get('max-age') === '0' ||
    (typeof expires === 'string' && Date.parse(expires) < Date.now()), cleared.raw);
  assert.equal((await sessionOf(base, cookie)).status, 401);
  assert.equal(await upgradeStatus(base, { cookie }), 401);
  assert.equal((await get('/', { Cookie: cookie })).status, 303);
  await daemon.waitForLog(/auth: event=logout user=alice address=127\.0\.0\.1/);
});

test('a user with a one-time code logs in in two steps; the same code is refused a second time',
  async () => {
    const page = await trackedPage(browser);
    await page.goto(new URL('/login', base).href);
    await page.fill('#user', 'tess');
    await page.fill('#password', TESS);
    const first = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.click('#login');
    const firstAnswer = await first;
    assert.equal(firstAnswer.status(), 401);
    assert.equal((await firstAnswer.json()).totp_required, true);
    await page.locator('#totp-row').waitFor({ state: 'visible' });
    // No session before the second factor.
    assert.equal((await page.context().cookies()).some((c) => c.name === 'kvmrtc_session'), false);

    const code = await freshTotpCode(tessSecret);
    await page.fill('#totp', code);
    const second = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.click('#login');
    assert.equal((await second).status(), 200);
    await page.waitForURL((url) => url.pathname === '/');
    await waitForState(page, 'live');
    await waitForText(page, 'kvm-toolbar [data-user]', 'tess · operator');
    await daemon.waitForLog(/auth: event=login user=tess address=127\.0\.0\.1 outcome=ok/);

    // Someone who saw the code over her shoulder, with the password too, is still refused.
    const replay = await apiLogin(base, 'tess', TESS, { totp: code });
    assert.equal(replay.status, 401, replay.body);
    assert.equal(replay.json?.totp_required, true);
    assert.equal(replay.cookie, null);
    // A code that was never right, and a right password without a code.
    const wrong = await apiLogin(base, 'tess', TESS,
      { totp: String((Number(code) + 500000) % 1000000).padStart(6, '0') });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json?.totp_required, true);
    await daemon.waitForLog(/auth: event=failure user=tess address=127\.0\.0\.1 outcome=bad-totp/);
    // A wrong password with a code says nothing about the code.
    const badPassword = await apiLogin(base, 'tess', 'not-the-password', { totp: code });
    assert.equal(badPassword.status, 401);
    assert.notEqual(badPassword.json?.totp_required, true);
    await page.close();
    // Reset the address's count of failures for the tests after this one.
    await apiSession(base, 'alice', ALICE);
  });

test('the logout button ends the session: the page shows /login and its cookie is dead',
  async () => {
    const page = await logInThroughPage(browser, base, 'alice', ALICE);
    const cookie = await pageCookie(page);
    assert.equal((await sessionOf(base, cookie)).status, 200);
    await page.click('kvm-toolbar button[data-action="logout"]');
    await page.waitForURL((url) => url.pathname === '/login');
    assert.equal((await sessionOf(base, cookie)).status, 401);
    assert.equal(await upgradeStatus(base, { cookie }), 401);
    await daemon.waitForLog(/auth: event=logout user=alice address=127\.0\.0\.1/);
    // The app stays closed to this browser.
    await page.goto(new URL('/', base).href);
    await page.waitForURL((url) => url.pathname === '/login');
    await page.close();
  });

// From here on: failures meant to lock out, on a daemon of their own.

async function lockoutDaemon() {
  const file = usersFilePath();
  addUser(file, 'carol', 'operator', 'carol-password-1');
  const started = await Daemon.start(testConfig({
    video: { width: 640, height: 360 }, extra: authSection(file),
  }));
  extraDaemons.push(started);
  return started;
}

function assertLocked(answer, what) {
  assert.equal(answer.status, 429, `${what}: ${answer.status} ${answer.body}`);
  const header = Number(answer.headers['retry-after']);
  assert.ok(Number.isInteger(header) && header >= 1, `Retry-After: ${answer.headers['retry-after']}`);
  assert.equal(typeof answer.json?.error, 'string');
  assert.equal(answer.json?.retry_after, header, 'the body and the header disagree');
  assert.equal(answer.cookie, null);
  return header;
}

// The lock lapses with the clock, which has no event: wait what the daemon said, and a bit.
const waitOut = (seconds) => new Promise((r) => setTimeout(r, seconds * 1000 + 150));

test('five failures lock the name; the page counts down; each further failure doubles the lock',
  async () => {
    const locked = await lockoutDaemon();
    const url = locked.url;
    const page = await trackedPage(browser);
    await page.goto(new URL('/login', url).href);
    await page.fill('#user', 'carol');
    await page.fill('#password', 'carol-password-1');

    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const answer = await apiLogin(url, 'carol', `wrong-${attempt}-password`);
      assert.equal(answer.status, 401, `failure ${attempt}: ${answer.status} ${answer.body}`);
    }
    // Locked: even the right password is not looked at.
    const first = assertLocked(await apiLogin(url, 'carol', 'carol-password-1'), 'right password');
    assert.equal(first, 1);
    await locked.waitForLog(
      /auth: event=lockout user=carol address=127\.0\.0\.1 outcome=user-locked-for-1s/);
    // One line per failure; the refused right password is no failure.
    const failures = /auth: event=failure user=carol address=127\.0\.0\.1 outcome=bad-password/g;
    await waitForLogCount(locked, failures, 5);
    assert.equal(locked.log.match(failures).length, 5);

    await waitOut(first);
    assert.equal((await apiLogin(url, 'carol', 'wrong-6-password')).status, 401);
    const second = assertLocked(await apiLogin(url, 'carol', 'carol-password-1'), 'after 6');
    assert.equal(second, 2, 'the lock did not double');

    // The page, with the right password, is told to wait.
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/login'));
    await page.click('#login');
    assert.equal((await answered).status(), 429);
    await waitForText(page, '#error', /^Too many failed logins: try again in [12] s\.$/);
    assert.equal(await page.locator('#login').isDisabled(), true);
    await keepScreenshot(page, 'login-locked');

    // Once the lock lapsed the right password works, and resets the count: one more failure
    // is a plain 401 again.
    await waitOut(second);
    await page.click('#login');
    await page.waitForURL((u) => u.pathname === '/');
    await waitForState(page, 'live');
    await locked.waitForLog(/auth: event=login user=carol address=127\.0\.0\.1 outcome=ok/);
    assert.equal((await apiLogin(url, 'carol', 'wrong-7-password')).status, 401);
    assert.equal((await apiSession(url, 'carol', 'carol-password-1')).length > 0, true);
    await page.close();
  });

test('ten failures from one address lock it for every name, whatever X-Forwarded-For claims', async () => {
  const locked = extraDaemons[0];
  assert.ok(locked, 'the previous test did not start the lockout daemon');
  const url = locked.url;
  const lockouts = /auth: event=lockout user=\S+ address=127\.0\.0\.1 outcome=address-locked-for-1s/g;
  const before = locked.log.match(lockouts)?.length ?? 0;
  // A good login forgives the address, so the count starts from zero whatever came before.
  await apiSession(url, 'carol', 'carol-password-1');
  // Different names, so no name reaches its own limit of five: only the address's count does.
  // Each claims another client address in the headers a proxy would set: the daemon counts
  // the socket's peer, so they are one address all the same.
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const claimed = `10.0.0.${attempt}`;
    const headers = { 'X-Forwarded-For': claimed, 'X-Real-IP': claimed, Forwarded: `for=${claimed}` };
    const answer = await apiLogin(url, `nobody${attempt}`, 'wrong-password', { headers });
    assert.equal(answer.status, 401, `failure ${attempt}: ${answer.status} ${answer.body}`);
  }
  const refused = assertLocked(await apiLogin(url, 'carol', 'carol-password-1'), 'carol');
  assert.equal(refused, 1);
  await waitForLogCount(locked, lockouts, before + 1);
  assert.doesNotMatch(locked.log, /address=10\.0\.0\./, 'a header named the client');
  await waitOut(refused);
  await apiSession(url, 'carol', 'carol-password-1');
});
