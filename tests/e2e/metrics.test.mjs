// GET /metrics as a scraper and a logged-in user reach it: behind the login, or with the
// configured bearer token; the figures follow what happens (a page watching, a failed login).
// GET /healthz needs no login.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, measureFrames } from './lib/browser.mjs';
import {
  addUser, apiLogin, apiSession, authSection, httpRequest, logInThroughPage, usersFilePath,
} from './lib/users.mjs';

const TOKEN = 'scraper-token-0123456789';
let daemon;
let browser;

before(async () => {
  const usersFile = usersFilePath();
  addUser(usersFile, 'ada', 'admin', 'ada-password');
  daemon = await Daemon.start(testConfig({
    video: { width: 640, height: 360 },
    extra: `${authSection(usersFile)}[server]\nmetrics-token=${TOKEN}\n`,
  }));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await daemon.stop();
});

const scrape = (headers = {}) => httpRequest(new URL('/metrics', daemon.url), { headers });

// The value of one sample line, e.g. sample(text, 'kvmrtc_logins_total{outcome="failed"}').
function sample(text, series) {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  assert.ok(line, `no ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

test('without a session or with a wrong token /metrics is 401; the token or a session opens it',
  async () => {
    assert.equal((await scrape()).status, 401);
    assert.equal((await scrape({ Authorization: 'Bearer wrong-token-0123456789' })).status, 401);
    assert.equal((await scrape({ Authorization: TOKEN })).status, 401);
    const byToken = await scrape({ Authorization: `Bearer ${TOKEN}` });
    assert.equal(byToken.status, 200);
    assert.match(byToken.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    const cookie = await apiSession(daemon.url, 'ada', 'ada-password');
    assert.equal((await scrape({ Cookie: cookie })).status, 200);
    assert.equal((await httpRequest(new URL('/healthz', daemon.url))).status, 200);
  });

test('the figures follow what happens: a failed login, a page watching, frames sent', async () => {
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const before = (await scrape(headers)).body;
  assert.equal((await apiLogin(daemon.url, 'ada', 'not-her-password')).status, 401);
  const page = await logInThroughPage(browser, daemon.url, 'ada', 'ada-password');
  await measureFrames(page, 1000);
  const now = (await scrape(headers)).body;
  assert.equal(sample(now, 'kvmrtc_logins_total{outcome="failed"}'),
    sample(before, 'kvmrtc_logins_total{outcome="failed"}') + 1);
  assert.ok(sample(now, 'kvmrtc_logins_total{outcome="ok"}') >=
    sample(before, 'kvmrtc_logins_total{outcome="ok"}') + 1);
  assert.equal(sample(now, 'kvmrtc_viewers'), 1);
  assert.equal(sample(now, 'kvmrtc_video_live'), 1);
  assert.ok(sample(now, 'kvmrtc_frames_encoded_total') > 20);
  const sent = now.match(/^kvmrtc_viewer_frames_sent_total\{viewer="\d+"\} (\d+)$/m);
  assert.ok(sent && Number(sent[1]) > 20, now);
  assert.ok(sample(now, 'kvmrtc_capture_to_sent_seconds_count') > 20);
  assert.ok(sample(now, 'kvmrtc_capture_to_encoded_seconds_bucket{le="+Inf"}') > 20);
  await page.close();
});
