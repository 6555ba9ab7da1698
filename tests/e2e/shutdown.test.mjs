// Stopping the daemon while pages hold keys. Each session closing at exit releases its viewer's
// keys; a release that fails (the keyboard stopped reading) changes the device's state, which is
// told to every session while the sessions are being closed.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer, waitForFunction } from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// A daemon writing to a fresh keyboard FIFO, and a page of it for each of `codes`, opened in
// that order, holding that key down (null: the page only watches).
async function pagesHolding(codes) {
  const keyboard = new FifoDevice(join(mkdtempSync(join(tmpdir(), 'kvmrtc-shutdown-')), 'hidg0'), 8);
  const daemon = await Daemon.start(testConfig({
    video: { width: 320, height: 180 },
    extra: `[hid]\nkeyboard=${keyboard.path}\n`,
  }));
  const pages = [];
  for (const code of codes) {
    const page = await openViewer(browser, daemon.url);
    // The daemon's greeting on the input channel (the mice here are missing: not 'ok').
    await waitForFunction(page, () => document.querySelector('kvm-status')?.hasAttribute('hid'));
    await page.click('kvm-video');
    if (code) await page.keyboard.down(code);
    pages.push(page);
  }
  return { keyboard, daemon, pages };
}

async function closeAll({ keyboard, pages }) {
  keyboard.close();
  for (const page of pages) await page.close();
}

test('stopped while two pages hold keys, the daemon releases them and exits cleanly', async () => {
  const held = await pagesHolding(['KeyA', 'ShiftRight']);
  await held.keyboard.waitFor((all) => all.at(-1)?.[0] === 0x20 && all.at(-1)[2] === 0x04,
    'A and right Shift down');
  assert.deepEqual(await held.daemon.stop(), { code: 0, signal: null }, held.daemon.log);
  await held.keyboard.waitFor((all) => all.at(-1).every((byte) => byte === 0), 'every key released');
  await closeAll(held);
});

// The holder's page opens first, so its session is destroyed last (a map being cleared frees the
// later node first). Its release is the one that fails, and it is told to the sessions while one
// of them is already gone: a freed node, when the map was cleared in place.
test('stopped while a page holds a key and the keyboard no longer reads, it exits cleanly',
  async () => {
    const held = await pagesHolding(['KeyA', null]);
    await held.keyboard.waitFor((all) => all.at(-1)?.[2] === 0x04, 'A down');
    held.keyboard.close();
    assert.deepEqual(await held.daemon.stop(), { code: 0, signal: null }, held.daemon.log);
    assert.match(held.daemon.log, /keyboard device .* write failed/);
    await closeAll(held);
  });
