// Debian's Firefox as it ships (no H.264 decoder) gets VP8 from a second encoder that runs only
// while it watches, and the H.264 encoder rests while nobody needs it; told to decode H.264 through FFmpeg it gets H.264; and when the daemon may
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

test('stock Firefox plays VP8, and each encoder runs only while its codec is watched', async (t) => {
  const browser = await launchBrowser();
  let h264Browser;
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
    await daemon.waitForLog(/viewer \d+ .*gets VP8/);
    await daemon.waitForLog(/VP8 encoder started/);
    // Nobody watches H.264: its encoder gets no frames while the source goes on capturing.
    await daemon.waitForLog(/H.264 encoder paused/);
    const before = (await daemon.status()).video;
    const after = (await daemon.waitForStatus(
      (status) => status.video.captured_frames >= before.captured_frames + 30,
      { what: '30 more captured frames' })).video;
    assert.equal(after.frames, before.frames, 'the H.264 encoder went on encoding');

    // A browser that decodes H.264 joins: the encoder resumes on a keyframe, and both play.
    h264Browser = await launchBrowser({ firefoxExtraPrefs: firefoxH264Prefs });
    const h264Page = await openViewer(h264Browser, daemon.url);
    assert.equal(await codecOf(h264Page), 'H264');
    await daemon.waitForLog(/H.264 encoder resumed/);
    const [h264Frames, vp8Frames] = await Promise.all(
      [measureFrames(h264Page, 3000), measureFrames(page, 3000)]);
    t.diagnostic(`side by side: H.264 ${h264Frames.fps.toFixed(1)} fps, ` +
      `VP8 ${vp8Frames.fps.toFixed(1)} fps`);
    assert.ok(h264Frames.fps >= 20, `H.264 after resuming: only ${h264Frames.fps.toFixed(1)} fps`);
    // Two browsers and two encoders share two cores here: the VP8 page must keep playing, at
    // whatever rate is left for it.
    assert.ok(vp8Frames.fps >= 5, `VP8 beside H.264: only ${vp8Frames.fps.toFixed(1)} fps`);
    await h264Page.close();
    await page.close();
    await daemon.waitForLog(/VP8 encoder stopped/, { timeoutMs: 15000 });
  } finally {
    await h264Browser?.close();
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
    assert.doesNotMatch(daemon.log, /VP8 encoder started|H.264 encoder paused/);
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
