// A keyboard the target does not read shows "target not responding" in the page, the daemon
// keeps running, and once the device is read again the keys arrive.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer } from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const hidState = (page) => page.evaluate(() => document.querySelector('kvm-status').getAttribute('hid'));

test('an unread keyboard shows "not responding", and works once it is read again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-hid-devices-'));
  const keyboardPath = join(dir, 'hidg0');
  FifoDevice.make(keyboardPath);  // nobody reads it yet: a target that is switched off
  const mouse = new FifoDevice(join(dir, 'hidg1'), 7);
  const relative = new FifoDevice(join(dir, 'hidg2'), 4);
  const daemon = await Daemon.start(testConfig({
    video: { width: 640, height: 360 },
    extra: `[hid]\nkeyboard=${keyboardPath}\nmouse=${mouse.path}\nmouse-relative=${relative.path}\n`,
  }));
  const browser = await launchBrowser();
  let keyboard;
  try {
    const page = await openViewer(browser, daemon.url);
    await page.waitForFunction(
      () => document.querySelector('kvm-status')?.getAttribute('hid') === 'not-responding');
    const bar = await page.$eval('kvm-status', (status) => status.shadowRoot.textContent);
    assert.match(bar, /target not responding/i);
    await keepScreenshot(page, 'target-not-responding');
    assert.match(daemon.log, /keyboard device .* cannot be opened/);

    await page.click('kvm-video');
        await page.keyboard.press('KeyK');  // typed while the target is off: not replayed later

    keyboard = new FifoDevice(keyboardPath, 8, { existing: true });
    await page.waitForFunction(
      () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
        // Only the newest state (nothing held) reaches the target, not the K typed meanwhile.
    assert.deepEqual(await keyboard.waitFor((r) => r.length >= 1, 'the newest key state'),
      [[0, 0, 0, 0, 0, 0, 0, 0]]);
    keyboard.clear();
    await page.keyboard.press('KeyJ');
    assert.deepEqual(await keyboard.waitFor((r) => r.length >= 2, 'a key'),
      [[0, 0, 0x0d, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]);
    assert.equal(await hidState(page), 'ok');
  } finally {
    await browser.close();
    for (const device of [keyboard, mouse, relative]) device?.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
