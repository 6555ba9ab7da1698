// Debian's Firefox as it ships (no H.264 decoder) gets VP8 from a second encoder that runs only
// while it watches; told to decode H.264 through FFmpeg it gets H.264; and when the daemon may
// send H.264 only, the page says why there is no picture while its keyboard still works.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import {
  firefoxH264Prefs, launchBrowser, measureFrames, openViewer, waitForFunction,
} from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const video = { width: 1280, height: 720, framerate: 30 };
const codecOf = (page) => page.$eval('kvm-video', (element) => element.codec);

test('stock Firefox plays VP8, and the VP8 encoder stops when it leaves', async (t) => {
  const browser = await launchBrowser();
  const daemon = await Daemon.start(testConfig({ video }));
  try {
    const page = await openViewer(browser, daemon.url);
    assert.equal(await codecOf(page), 'VP8');
    const frames = await measureFrames(page, 5000);
    t.diagnostic(`VP8 in Firefox: ${frames.width}x${frames.height}, ${frames.fps.toFixed(1)} fps`);
    assert.deepEqual([frames.width, frames.height], [1280, 720]);
    assert.ok(frames.fps >= 25, `only ${frames.fps.toFixed(1)} fps`);
    // Firefox gives no capture times: the status bar says so instead of showing no latency.
    await waitForFunction(page, () => /Latency: not available in this browser/
      .test(document.querySelector('kvm-status').shadowRoot.textContent));
    await daemon.waitForLog(/viewer \d+ gets VP8/);
    await daemon.waitForLog(/VP8 encoder started/);
    await page.close();
    await daemon.waitForLog(/VP8 encoder stopped/, { timeoutMs: 15000 });
  } finally {
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('Firefox told to decode H.264 through FFmpeg plays H.264', async (t) => {
  const browser = await launchBrowser({ firefoxExtraPrefs: firefoxH264Prefs });
  const daemon = await Daemon.start(testConfig({ video }));
  try {
    const page = await openViewer(browser, daemon.url);
    assert.equal(await codecOf(page), 'H264');
    const frames = await measureFrames(page, 5000);
    t.diagnostic(`H.264 in Firefox: ${frames.width}x${frames.height}, ${frames.fps.toFixed(1)} fps`);
    assert.ok(frames.fps >= 25, `only ${frames.fps.toFixed(1)} fps`);
    assert.doesNotMatch(daemon.log, /VP8 encoder started/);
    await page.close();
  } finally {
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('a daemon that sends H.264 only: the page says why, and the keyboard still works', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-ff-'));
  const keyboard = new FifoDevice(join(dir, 'hidg0'), 8);
  const mice = [new FifoDevice(join(dir, 'hidg1'), 7), new FifoDevice(join(dir, 'hidg2'), 4)];
  const browser = await launchBrowser();
  const daemon = await Daemon.start(testConfig({
    video,
    extra: `codecs=h264\n[hid]\nkeyboard=${keyboard.path}\nmouse=${mice[0].path}\n` +
      `mouse-relative=${mice[1].path}\n`,
  }));
  try {
    const page = await openViewer(browser, daemon.url, { state: 'unsupported' });
    const overlay = await page.$eval('kvm-video', (element) => element.shadowRoot.textContent);
    assert.match(overlay, /cannot play the video/);
    assert.match(overlay, /no H264 decoder/);
    await keepScreenshot(page, 'firefox-no-h264');
    await daemon.waitForLog(/declined the video \(it cannot decode H264\)/);
    await waitForFunction(page, () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
    await page.click('kvm-video');
    await page.keyboard.press('KeyA');
    const reports = await keyboard.waitFor((r) => r.length >= 2, 'the key A down and up');
    assert.deepEqual(reports.slice(0, 2), [[0, 0, 0x04, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]);
    // No reconnect for want of a picture: the page gives up on a session without one after
    // 8 s, so watch its state for longer than that.
    const changes = await page.evaluate(() => new Promise((done) => {
      const seen = [];
      const element = document.querySelector('kvm-video');
      element.addEventListener('statechange', (event) => seen.push(event.detail.state));
      setTimeout(() => done(seen), 9000);
    }));
    assert.deepEqual(changes, []);
    assert.equal((await daemon.status()).viewers, 1);
    await page.close();
  } finally {
    for (const device of [keyboard, ...mice]) device.close();
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
