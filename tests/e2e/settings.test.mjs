// The settings dialog, as an admin uses it: it shows the settings in force, applies a new frame
// rate to the playing picture, writes it into the config file with the file's comments kept,
// and marks a bad value at its field. An operator gets no dialog, and the daemon refuses
// anyone but an admin.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { click, fill, launchBrowser, measureFrames, waitForState, waitForText } from './lib/browser.mjs';
import {
  addUser, apiSession, authSection, httpRequest, logInThroughPage, usersFilePath,
} from './lib/users.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const COMMENT = '# Tuned for the lab bench: keep this line.';
let daemon;
let browser;
let configPath;

before(async () => {
  const usersFile = usersFilePath();
  addUser(usersFile, 'ada', 'admin', 'ada-password');
  addUser(usersFile, 'olga', 'operator', 'olga-password');
  daemon = await Daemon.start(`${COMMENT}\n${testConfig({
    video: { width: 640, height: 360, framerate: 30, bitrate: 1500 },
    extra: authSection(usersFile),
  })}`);
  configPath = join(daemon.dir, 'kvmrtc.conf');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await daemon.stop();
});

// GET /api/status as an admin: with the login on, it needs a session too.
async function status() {
  const cookie = await apiSession(daemon.url, 'ada', 'ada-password');
  return (await httpRequest(new URL('/api/status', daemon.url), { headers: { Cookie: cookie } }))
    .json;
}

test('an admin sets the frame rate in the dialog: the picture follows, the file keeps it',
  async () => {
    const page = await logInThroughPage(browser, daemon.url, 'ada', 'ada-password');
    await click(page, 'kvm-toolbar button[data-action="open-settings"]');
    await page.locator('kvm-settings input[name="framerate"]').waitFor();
    await page.waitForFunction(() => document.querySelector('kvm-settings').shadowRoot
      .querySelector('input[name="framerate"]').value === '30');
    assert.equal(await page.locator('kvm-settings select[name="pipeline"]').inputValue(),
      'test-pattern');
    await fill(page, 'kvm-settings input[name="framerate"]', '15');
    await click(page, 'kvm-settings button[data-action="apply"]');
    await waitForText(page, 'kvm-settings [data-role="settings-status"]',
      'Applied: video.framerate (rebuild).');
    await keepScreenshot(page, 'settings-applied');
    await click(page, 'kvm-settings button[data-action="close"]');

    await waitForState(page, 'live');
    const frames = await measureFrames(page, 3000);
    assert.ok(frames.fps > 12 && frames.fps < 18, `${frames.fps} fps after setting 15`);
    assert.equal((await status()).video.framerate, 15);
    const text = readFileSync(configPath, 'utf8');
    assert.match(text, /^framerate=15$/m);
    assert.doesNotMatch(text, /^framerate=30$/m);
    assert.ok(text.startsWith(`${COMMENT}\n`), text);
    assert.match(text, /^bitrate=1500$/m);
    await daemon.waitForLog(/video settings change asked for by ada from 127\.0\.0\.1/);
    await page.close();
  });

test('a value out of range is marked at its field and changes nothing', async () => {
  const page = await logInThroughPage(browser, daemon.url, 'ada', 'ada-password');
  await click(page, 'kvm-toolbar button[data-action="open-settings"]');
  await page.waitForFunction(() => document.querySelector('kvm-settings').shadowRoot
    .querySelector('input[name="width"]').value === '640');
  const before = readFileSync(configPath, 'utf8');
  await fill(page, 'kvm-settings input[name="width"]', '99999');
  await click(page, 'kvm-settings button[data-action="apply"]');
  await waitForText(page, 'kvm-settings .field-error[data-field="width"]',
    '99999 is out of range (160 to 7680)');
  assert.equal(await page.locator('kvm-settings input[name="width"]').getAttribute('aria-invalid'),
    'true');
  assert.equal(readFileSync(configPath, 'utf8'), before);
  assert.equal((await status()).video.width, 640);
  await page.close();
});

test('an operator has no settings button, and the daemon refuses its requests', async () => {
  const page = await logInThroughPage(browser, daemon.url, 'olga', 'olga-password');
  await waitForText(page, 'kvm-toolbar [data-user]', 'olga · operator');
  assert.equal(await page.locator('kvm-toolbar button[data-action="open-settings"]').isVisible(),
    false);
  const cookie = await apiSession(daemon.url, 'olga', 'olga-password');
  const url = new URL('/api/settings/video', daemon.url);
  assert.equal((await httpRequest(url, { headers: { Cookie: cookie } })).status, 403);
  const put = await httpRequest(url, {
    method: 'PUT', headers: { Cookie: cookie }, body: JSON.stringify({ framerate: 5 }),
  });
  assert.equal(put.status, 403);
  assert.equal((await status()).video.framerate, 15);
  await page.close();
});

test('the API names a field of the wrong type or an unknown one', async () => {
  const cookie = await apiSession(daemon.url, 'ada', 'ada-password');
  const put = await httpRequest(new URL('/api/settings/video', daemon.url), {
    method: 'PUT', headers: { Cookie: cookie },
    body: JSON.stringify({ framerate: 'fast', colour: 'blue' }),
  });
  assert.equal(put.status, 422);
  assert.deepEqual(put.json, {
    ok: false,
    errors: [{ field: 'framerate', message: 'must be a whole number' },
      { field: 'colour', message: 'is not a video setting' }],
  });
});

test('with [server] settings-file the dialog saves there and leaves the config file as it is',
  async () => {
    const usersFile = usersFilePath();
    addUser(usersFile, 'ada', 'admin', 'ada-password');
    const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-settings-'));
    const settingsPath = join(dir, 'settings.conf');
    const config = testConfig({
      video: { width: 640, height: 360, framerate: 30, bitrate: 1500 },
      extra: authSection(usersFile),
    }).replace('[server]\n', `[server]\nsettings-file=${settingsPath}\n`);
    const own = await Daemon.start(`${COMMENT}\n${config}`);
    try {
      const ownConfig = join(own.dir, 'kvmrtc.conf');
      const before = readFileSync(ownConfig, 'utf8');
      const cookie = await apiSession(own.url, 'ada', 'ada-password');
      const url = new URL('/api/settings/video', own.url);
      const put = (body) => httpRequest(url, {
        method: 'PUT', headers: { Cookie: cookie }, body: JSON.stringify(body),
      });
      const saved = await put({ bitrate: 2500 });
      assert.equal(saved.status, 200, JSON.stringify(saved.json));
      assert.deepEqual(saved.json.applied.find(({ key }) => key === 'video.bitrate'),
        { key: 'video.bitrate', how: 'live' });
      assert.equal(readFileSync(ownConfig, 'utf8'), before);
      const settings = readFileSync(settingsPath, 'utf8');
      assert.match(settings, /^# Saved by kvmrtc's settings dialog/);
      assert.match(settings, /^\[video\]\nbitrate=2500$/m);
      assert.equal((await httpRequest(url, { headers: { Cookie: cookie } })).json.bitrate, 2500);

      // The combination is checked with the config file's keys: its bitrate is now 2500.
      const refused = await put({ 'max-bitrate': 2000 });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.json.errors.map(({ field }) => field), ['max-bitrate']);
      assert.equal(readFileSync(settingsPath, 'utf8'), settings);
    } finally {
      await own.stop();
    }
  });
