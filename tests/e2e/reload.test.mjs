// Tuning while a page watches: the config file is edited and reloaded (SIGHUP or POST
// /api/reload). A new bitrate reaches the running encoder with no gap in the picture; a new
// size rebuilds the producer while the page keeps its one RTCPeerConnection; a broken edit
// changes nothing and says why, with file, line and key.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import {
  launchBrowser, measureFrames, newPage, waitForFunction, waitForState, waitForText,
} from './lib/browser.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// The page, with a count of the peer connections it makes and the answers it takes, and the
// times its <video> presents frames.
async function openCountingViewer(url) {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.kvmrtcCounts = { connections: 0, remoteDescriptions: 0 };
    const Original = window.RTCPeerConnection;
    const setRemote = Original.prototype.setRemoteDescription;
    Original.prototype.setRemoteDescription = function countRemote(...args) {
      window.kvmrtcCounts.remoteDescriptions += 1;
      return setRemote.apply(this, args);
    };
    window.RTCPeerConnection = class extends Original {
      constructor(...args) {
        super(...args);
        window.kvmrtcCounts.connections += 1;
        window.kvmrtcPeer = this;
      }
    };
  });
  await page.goto(url);
  await waitForState(page, 'live');
  await page.evaluate(() => {
    const video = document.querySelector('kvm-video').shadowRoot.querySelector('video');
    window.kvmrtcFrames = [];
    const onFrame = (now) => {
      window.kvmrtcFrames.push(now);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  });
  return page;
}

// The longest wait between two presented frames from `since` (performance.now()) on, in ms.
function longestGap(page, since) {
  return page.evaluate((from) => {
    const times = window.kvmrtcFrames.filter((at) => at >= from);
    let gap = 0;
    for (let i = 1; i < times.length; i += 1) gap = Math.max(gap, times[i] - times[i - 1]);
    return gap;
  }, since);
}

const pageNow = (page) => page.evaluate(() => performance.now());
const counts = (page) => page.evaluate(() => window.kvmrtcCounts);

async function postReload(daemon) {
  const response = await fetch(new URL('/api/reload', daemon.url), { method: 'POST' });
  return { status: response.status, body: await response.json() };
}

function videoConfig(video) {
  return testConfig({ video: { framerate: 30, ...video } });
}

test('a new bitrate reaches the running encoder: no rebuild, no gap in the picture', async () => {
  const daemon = await Daemon.start(videoConfig({ width: 1280, height: 720, bitrate: 2000 }));
  const configPath = join(daemon.dir, 'kvmrtc.conf');
  try {
    const page = await openCountingViewer(daemon.url);
    await measureFrames(page, 500);
    // The same span with no change, for comparison: a frame or two comes late now and then.
    const quiet = await pageNow(page);
    await measureFrames(page, 1500);
    const baseline = await longestGap(page, quiet);
    const since = await pageNow(page);
    writeFileSync(configPath, videoConfig({ width: 1280, height: 720, bitrate: 4000 }));
    const { status, body } = await postReload(daemon);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.ok, true);
    assert.deepEqual(body.applied.map(({ key, how }) => `${key} ${how}`).sort(),
      ['video.bitrate live', 'video.max-bitrate live', 'video.min-bitrate live']);
    assert.deepEqual(body.needs_restart, []);
    assert.equal((await daemon.status()).video.bitrate_kbps, 4000);

    const frames = await measureFrames(page, 1500);
    const gap = await longestGap(page, since);
    console.log(`bitrate 2000 → 4000 kbit/s: longest wait between frames ${gap.toFixed(0)} ms ` +
      `(${baseline.toFixed(0)} ms in as long before it), ${frames.fps.toFixed(1)} fps after`);
    assert.ok(gap < 250, `a ${gap} ms gap in the picture`);
    assert.ok(frames.fps > 20);
    assert.doesNotMatch(daemon.log, /rebuilding the video pipeline/);
    assert.deepEqual(await counts(page), { connections: 1, remoteDescriptions: 1 });
    await page.close();
  } finally {
    await daemon.stop();
  }
});

// How many keyframes the page decodes in `ms`.
async function keyframesDecodedIn(page, ms) {
  const decoded = () => page.evaluate(async () => {
    const stats = await window.kvmrtcPeer.getStats();
    const inbound = [...stats.values()].find((report) => report.type === 'inbound-rtp');
    return inbound?.keyFramesDecoded ?? 0;
  });
  const first = await decoded();
  await measureFrames(page, ms);
  return (await decoded()) - first;
}

test('a new keyframe interval applies to the running encoder: no rebuild, no new offer',
  async () => {
    const config = (interval) => videoConfig({
      width: 640, height: 360, bitrate: 1000, 'keyframe-interval': interval,
    });
    const daemon = await Daemon.start(config(300));
    const configPath = join(daemon.dir, 'kvmrtc.conf');
    try {
      const page = await openCountingViewer(daemon.url);
      // Past the keyframe a new viewer gets; then one every 10 s at most.
      await measureFrames(page, 500);
      const before = await keyframesDecodedIn(page, 3000);
      writeFileSync(configPath, config(15));
      const { status, body } = await postReload(daemon);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.applied, [{ key: 'video.keyframe-interval', how: 'live' }]);
      const after = await keyframesDecodedIn(page, 3000);
      console.log(`keyframes in 3 s: ${before} at keyframe-interval=300, ${after} at 15`);
      assert.ok(before <= 1, `${before} keyframes in 3 s at an interval of 10 s`);
      // One every half second: 6 in 3 s, give or take the window's edges.
      assert.ok(after >= 5 && after <= 7, `${after} keyframes in 3 s at an interval of 0.5 s`);
      await daemon.waitForLog(/reload: video\.keyframe-interval changed: applied \(live\)/);
      assert.doesNotMatch(daemon.log, /rebuilding the video pipeline/);
      assert.equal((await daemon.status()).video.state, 'live');
      assert.deepEqual(await counts(page), { connections: 1, remoteDescriptions: 1 });
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('a new size on SIGHUP: the same connection shows it within 3 s, on a keyframe',
  async () => {
    const daemon = await Daemon.start(videoConfig({ width: 1280, height: 720, bitrate: 2000 }));
    const configPath = join(daemon.dir, 'kvmrtc.conf');
    try {
      const page = await openCountingViewer(daemon.url);
      const before = await measureFrames(page, 1000);
      assert.deepEqual([before.width, before.height], [1280, 720]);
      const since = await pageNow(page);
      writeFileSync(configPath, videoConfig({ width: 1920, height: 1080, bitrate: 5000 }));
      const sent = Date.now();
      daemon.child.kill('SIGHUP');
      await waitForFunction(page, () => {
        const video = document.querySelector('kvm-video').shadowRoot.querySelector('video');
        return video.videoWidth === 1920 && video.videoHeight === 1080;
      }, null, { timeout: 3000 });
      const shownAfter = Date.now() - sent;
      await waitForState(page, 'live');
      const frames = await measureFrames(page, 2000);
      const gap = await longestGap(page, since);
      console.log(`1280x720 → 1920x1080: shown ${shownAfter} ms after SIGHUP, longest wait ` +
        `between frames ${gap.toFixed(0)} ms, ${frames.fps.toFixed(1)} fps after`);
      await keepScreenshot(page, 'reload-1080p');
      assert.ok(frames.fps > 20, `${frames.fps} fps after the rebuild`);
      assert.deepEqual([frames.width, frames.height], [1920, 1080]);
      await waitForText(page, 'kvm-status', '1920×1080');
      assert.deepEqual(await counts(page), { connections: 1, remoteDescriptions: 1 },
        'the page negotiated again');
      const status = await daemon.status();
      assert.deepEqual([status.video.width, status.video.height], [1920, 1080]);
      assert.equal(status.video.bitrate_kbps, 5000);
      assert.equal(status.viewers, 1);
      const metrics = await (await fetch(new URL('/metrics', daemon.url))).text();
      assert.match(metrics, /^kvmrtc_encoder_bitrate_kbps 5000$/m);
      await daemon.waitForLog(/reload: video\.width changed: applied \(rebuild\)/);
      await daemon.waitForLog(/reload: video\.bitrate changed: applied \(live\)/);
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('a broken edit changes nothing: the picture plays on and the errors name file, line and key',
  async () => {
    const config = videoConfig({ width: 1280, height: 720 });
    const daemon = await Daemon.start(config);
    const configPath = join(daemon.dir, 'kvmrtc.conf');
    try {
      const page = await openCountingViewer(daemon.url);
      writeFileSync(configPath, config.replace('width=1280', 'width=wide'));
      const { status, body } = await postReload(daemon);
      assert.equal(status, 422);
      assert.equal(body.ok, false);
      assert.deepEqual(body.applied, []);
      assert.equal(body.errors.length, 1);
      const [error] = body.errors;
      assert.equal(error.file, configPath);
      assert.equal(error.key, 'video.width');
      assert.equal(error.line, config.split('\n').indexOf('width=1280') + 1);
      assert.match(error.message, /'wide' is not a whole number/);

      daemon.child.kill('SIGHUP');
      await daemon.waitForLog(/reload: .*kvmrtc\.conf has errors; kvmrtc goes on/);
      const frames = await measureFrames(page, 1500);
      assert.ok(frames.fps > 20);
      assert.deepEqual([frames.width, frames.height], [1280, 720]);
      assert.doesNotMatch(daemon.log, /rebuilding the video pipeline/);
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('what needs a restart is named and not applied; a GET is refused', async () => {
  const config = videoConfig({ width: 640, height: 360 });
  const daemon = await Daemon.start(config);
  const configPath = join(daemon.dir, 'kvmrtc.conf');
  try {
    writeFileSync(configPath, config.replace('port=0', 'port=18080'));
    let { status, body } = await postReload(daemon);
    assert.equal(status, 200);
    assert.deepEqual(body, { ok: true, errors: [], applied: [], needs_restart: ['server.port'] });
    // Not applied: the next reload names it again.
    ({ body } = await postReload(daemon));
    assert.deepEqual(body.needs_restart, ['server.port']);
    await daemon.waitForLog(/reload: server\.port changed: it takes effect at the next restart/);
    const get = await fetch(new URL('/api/reload', daemon.url));
    assert.equal(get.status, 405);
  } finally {
    await daemon.stop();
  }
});

test('new HID paths: a key held on the old keyboard is released there, then keys go to the new',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-reload-hid-'));
    const devices = ['old-kbd', 'new-kbd', 'mouse', 'relative'].map((name, i) =>
      new FifoDevice(join(dir, name), [8, 8, 7, 4][i]));
    const [oldKeyboard, newKeyboard, mouse, relative] = devices;
    const hid = (keyboard) => `[hid]\nkeyboard=${keyboard.path}\nmouse=${mouse.path}\n` +
      `mouse-relative=${relative.path}\n`;
    const config = (keyboard) => testConfig({ video: { width: 640, height: 360 }, extra: hid(keyboard) });
    const daemon = await Daemon.start(config(oldKeyboard));
    try {
      const page = await openCountingViewer(daemon.url);
      await waitForFunction(page,
        () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
      await page.click('kvm-video');
      await page.keyboard.down('KeyA');
      await oldKeyboard.waitFor((reports) => reports.some((r) => r[2] === 0x04), 'A held');

      writeFileSync(join(daemon.dir, 'kvmrtc.conf'), config(newKeyboard));
      const { body } = await postReload(daemon);
      assert.deepEqual(body.applied, [{ key: 'hid.keyboard', how: 'reopen' }]);
      // The old device's last report lets the key go: nothing stays pressed on the target.
      const old = await oldKeyboard.waitFor((reports) => reports.at(-1).every((b) => b === 0),
        'the release on the old keyboard');
      assert.deepEqual(old.at(-2), [0, 0, 0x04, 0, 0, 0, 0, 0]);

      await page.keyboard.up('KeyA');
      await page.keyboard.press('KeyB');
      const fresh = await newKeyboard.waitFor((reports) => reports.length >= 2, 'B on the new one');
      assert.deepEqual(fresh.slice(0, 2), [[0, 0, 0x05, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]);
      assert.equal(oldKeyboard.reports().length, old.length, 'keys still reach the old keyboard');
      await page.close();
    } finally {
      await daemon.stop();
      for (const device of devices) device.close();
    }
  });
