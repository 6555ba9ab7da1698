// What each role may do to the target, enforced by the daemon and not only by the page: a
// viewer watches, and its keys never become HID reports even when its page is tampered with to
// send them; an operator's and an admin's do. The devices are FIFOs, as in hid.test.mjs.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, waitForFunction, waitForText } from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';
import {
  addUser, apiSession, authSection, httpRequest, logInThroughPage, sessionOf, usersFilePath,
} from './lib/users.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const NONE = [0, 0, 0, 0, 0, 0, 0, 0];
const key = (modifiers, ...usages) => [modifiers, 0, ...usages, ...Array(6 - usages.length).fill(0)];
const KEY_A = 0x04;
const KEY_B = 0x05;

let browser;
let daemon;
let keyboard;
let mouse;
let relative;
let viewerPage;
let operatorPage;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-roles-'));
  keyboard = new FifoDevice(join(dir, 'hidg0'), 8);
  mouse = new FifoDevice(join(dir, 'hidg1'), 7);
  relative = new FifoDevice(join(dir, 'hidg2'), 4);
  const usersFile = usersFilePath();
  addUser(usersFile, 'victor', 'viewer', 'victor-password');
  addUser(usersFile, 'olga', 'operator', 'olga-password');
  addUser(usersFile, 'ada', 'admin', 'ada-password');
  daemon = await Daemon.start(testConfig({
    video: { width: 640, height: 360 },
    extra: `[hid]\nkeyboard=${keyboard.path}\nmouse=${mouse.path}\n` +
      `mouse-relative=${relative.path}\n${authSection(usersFile)}`,
  }));
  browser = await launchBrowser();
  viewerPage = await logInThroughPage(browser, daemon.url, 'victor', 'victor-password');
  operatorPage = await logInThroughPage(browser, daemon.url, 'olga', 'olga-password');
  for (const page of [viewerPage, operatorPage]) {
    await waitForFunction(page,
      () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
  }
});

after(async () => {
  await browser?.close();
  for (const device of [keyboard, mouse, relative]) device?.close();
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

test('the daemon knows each page by its user and role', async () => {
  await waitForText(viewerPage, 'kvm-toolbar [data-user]', 'victor · viewer');
  await waitForText(operatorPage, 'kvm-toolbar [data-user]', 'olga · operator');
  await daemon.waitForLog(/viewer \d+ started for victor at 127\.0\.0\.1/);
  await daemon.waitForLog(/viewer \d+ started for olga at 127\.0\.0\.1/);
  const viewer = await sessionOf(daemon.url, await apiSession(daemon.url, 'victor', 'victor-password'));
  assert.equal(viewer.json?.role, 'viewer');
});

test('a viewer\'s toolbar offers no input controls; an operator\'s does', async () => {
  await waitForText(viewerPage, 'kvm-toolbar [data-user]', 'victor · viewer');
  await waitForText(operatorPage, 'kvm-toolbar [data-user]', 'olga · operator');
  for (const control of ['toggle-osk', 'open-paste', 'toggle-relative', 'combo-ctrl-alt-del']) {
    const selector = `kvm-toolbar [data-action="${control}"]`;
    assert.equal(await viewerPage.locator(selector).isHidden(), true, `viewer sees ${control}`);
    assert.equal(await operatorPage.locator(selector).isVisible(), true, `operator lacks ${control}`);
  }
  // Both may log out and look at the stats.
  for (const page of [viewerPage, operatorPage]) {
    assert.equal(await page.locator('kvm-toolbar [data-action="logout"]').isVisible(), true);
    assert.equal(await page.locator('kvm-toolbar [data-action="toggle-stats"]').isVisible(), true);
  }
  assert.equal(await viewerPage.locator('kvm-video').getAttribute('view-only'), '');
  assert.equal(await operatorPage.locator('kvm-video').getAttribute('view-only'), null);
  await keepScreenshot(viewerPage, 'roles-viewer');
});

test('a viewer\'s keys, even from a page made to send them, never reach the target', async () => {
  await operatorPage.click('kvm-video');  // focus: the operator's typing goes to the target
  await waitForText(viewerPage, 'kvm-toolbar [data-user]', 'victor · viewer');
  keyboard.clear();

  // As the page is: it only watches, and sends nothing.
  await viewerPage.click('kvm-video');
  await viewerPage.keyboard.press('KeyB');
  // As someone who edited it would have it: view-only off, so it captures keys and sends
  // them on its hid channel. Only the daemon stands between these and the target.
  await viewerPage.evaluate(() => document.querySelector('kvm-video').removeAttribute('view-only'));
  await viewerPage.click('kvm-video');
  const channelOpen = await viewerPage.evaluate(() => document.querySelector('kvm-video').hid.isOpen);
  for (const code of ['KeyB', 'KeyB', 'Enter']) await viewerPage.keyboard.press(code);
  await viewerPage.keyboard.down('ControlLeft');
  await viewerPage.keyboard.press('Delete');
  await viewerPage.keyboard.up('ControlLeft');
  // The link's own message, from the page's console, straight to the channel.
  const sentDirectly = await viewerPage.evaluate(() => {
    const link = document.querySelector('kvm-video').hid;
    return link.send({ t: 'key', code: 'KeyB', down: true }) &&
      link.send({ t: 'key', code: 'KeyB', down: false });
  });

  // Then the operator types one key. The daemon handles the viewer's messages before this one
  // arrives, so once the operator's key is in the FIFO, anything of the viewer's would be too.
  await operatorPage.keyboard.press('KeyA');
  const reports = await keyboard.waitFor((r) => r.length >= 2, "the operator's key");
  assert.deepEqual(reports, [key(0, KEY_A), NONE],
    `the viewer's keys reached the target (channel open: ${channelOpen}, sent: ${sentDirectly})`);
  assert.ok(!reports.some((report) => report.slice(2).includes(KEY_B)));
  console.log(`viewer's hid channel open: ${channelOpen}; direct send went out: ${sentDirectly}`);
});

test('a viewer\'s clicks never reach the target\'s mouse', async () => {
  // The viewer's page lost view-only in the test before; it clicks first, the operator after.
  mouse.clear();
  const viewerBox = await viewerPage.locator('kvm-video').boundingBox();
  await viewerPage.mouse.click(viewerBox.x + viewerBox.width * 0.1, viewerBox.y + viewerBox.height * 0.1);
  const box = await operatorPage.locator('kvm-video').boundingBox();
  await operatorPage.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const clicks = await mouse.waitFor(
    (r) => r.some((report) => report[0] === 1) && r.at(-1)[0] === 0, "the operator's click");
  // Every absolute report is the operator's, in the middle; the viewer's would be near 0.1.
  for (const report of clicks) {
    const x = report[1] | (report[2] << 8);
    assert.ok(Math.abs(x - 16384) < 400, `a report not at the operator's pointer: ${report}`);
  }
});

test('an admin\'s keys reach the target like an operator\'s', async () => {
  const adminPage = await logInThroughPage(browser, daemon.url, 'ada', 'ada-password');
  await waitForText(adminPage, 'kvm-toolbar [data-user]', 'ada · admin');
  await waitForFunction(adminPage,
    () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
  await adminPage.click('kvm-video');
  keyboard.clear();
  await adminPage.keyboard.press('KeyB');
  assert.deepEqual(await keyboard.waitFor((r) => r.length >= 2, "the admin's key"),
    [key(0, KEY_B), NONE]);
  await adminPage.close();
});

test('only an admin may reload the config; a viewer and an operator get 403, no session 401',
  async () => {
    const reload = (cookie) => httpRequest(new URL('/api/reload', daemon.url),
      { method: 'POST', headers: cookie ? { Cookie: cookie } : {} });
    assert.equal((await reload()).status, 401);
    for (const [name, password] of [['victor', 'victor-password'], ['olga', 'olga-password']]) {
      const answer = await reload(await apiSession(daemon.url, name, password));
      assert.equal(answer.status, 403, `${name}: ${answer.body}`);
    }
    const admin = await reload(await apiSession(daemon.url, 'ada', 'ada-password'));
    assert.equal(admin.status, 200, admin.body);
    assert.deepEqual(admin.json, { ok: true, errors: [], applied: [], needs_restart: [] });
    await daemon.waitForLog(/reload asked for by ada from 127\.0\.0\.1/);
  });
