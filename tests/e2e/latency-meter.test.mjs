// The page's latency meter shows the real capture-to-display latency of the frame on screen.
// The daemon paints each frame's capture time into the frame itself ([video] latency-stamp, the
// benchmark's method); reading it back from every displayed frame is the reference the meter
// (abs-capture-time + the clock offset from `clock` exchanges) must agree with, frame by frame.
// The page's clock is set off from the daemon's, as on two machines, so a meter that skipped
// or misapplied the clock offset would be seconds off.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer, waitForState } from './lib/browser.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';
import { installStampReader, STAMP_LAYOUT } from './lib/stamp-reader.mjs';

const WIDTH = 1280;
const HEIGHT = 720;
// The browser's clock, as the page sees it, this far behind the daemon's.
const SKEW_MS = -7250.5;
const FRAMES = 90; // about 3 s at 30 fps
const MIN_MATCHED = 30;
const MEDIAN_TOLERANCE_MS = 3;
const MAX_TOLERANCE_MS = 8;

let browser;
let daemon;
before(async () => {
  browser = await launchBrowser();
  daemon = await Daemon.start(testConfig({
    video: { width: WIDTH, height: HEIGHT, framerate: 30, 'latency-stamp': 'true' },
  }));
});
after(async () => {
  await browser.close();
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

// Runs in the page before its scripts: moves the page's wall clock (performance.timeOrigin,
// which the meter reads) and keeps the true origin for the stamp readings.
function skewClock(skewMs) {
  const trueOrigin = performance.timeOrigin;
  window.trueTimeOrigin = trueOrigin;
  Object.defineProperty(performance, 'timeOrigin', { value: trueOrigin + skewMs });
}

// openViewer makes its own page; this hands it one with the skewed clock and the stamp reader.
function skewedBrowser(skewMs) {
  return {
    async newPage(options) {
      const page = await browser.newPage(options);
      await page.addInitScript(skewClock, skewMs);
      await page.addInitScript(installStampReader, STAMP_LAYOUT);
      return page;
    },
  };
}

// Runs in the page: for `frames` displayed frames, the latency read from the frame's painted
// stamp and, separately, every reading of the meter; both keyed by RTP timestamp.
function collect({ frames }) {
  return new Promise((done) => {
    const screen = document.querySelector('kvm-video');
    const video = screen.shadowRoot.querySelector('video');
    const stamped = [];
    const metered = [];
    let unreadable = 0;
    let shown = 0;
    const onLatency = (event) => metered.push(event.detail);
    const onFrame = async (_now, meta) => {
      const shownAt = performance.now();
      shown += 1;
      if (shown < frames) video.requestVideoFrameCallback(onFrame);
      const stamp = await window.readStamp(video);
      if (stamp === null) unreadable += 1;
      else stamped.push({ rtpTimestamp: meta.rtpTimestamp, stamp, latencyMs: window.trueTimeOrigin + shownAt - stamp });
      if (stamped.length + unreadable === frames) {
        screen.removeEventListener('latency', onLatency);
        done({ stamped, metered, unreadable });
      }
    };
    screen.addEventListener('latency', onLatency);
    video.requestVideoFrameCallback(onFrame);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// A figure of the stats panel, as shown.
function panelText(page, stat) {
  return page.$eval('kvm-stats', (panel, name) => panel.shadowRoot.querySelector(`[data-stat="${name}"]`).textContent, stat);
}

const number = (text) => Number.parseFloat(text.replaceAll(',', ''));

test('the meter and the stats panel show the real capture-to-display latency', async (t) => {
  const page = await openViewer(skewedBrowser(SKEW_MS), daemon.url, { width: WIDTH, height: HEIGHT + 80 });
  try {
    assert.equal(await page.$eval('kvm-stats', (panel) => panel.hidden), true, 'the panel starts hidden');
    const button = page.locator('kvm-toolbar [data-action="toggle-stats"]');
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    await button.click();
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('kvm-stats').isVisible(), true, 'the panel shows');
    // The panel fills in as readings and the first two stats reports come in.
    await page.waitForFunction(() => {
      const value = (name) => document.querySelector('kvm-stats').shadowRoot
        .querySelector(`[data-stat="${name}"]`).textContent;
      return ['latency-now', 'latency-mean', 'latency-max', 'fps', 'bitrate']
        .every((name) => Number.isFinite(Number.parseFloat(value(name).replaceAll(',', ''))));
    }, null, { timeout: 10000 });
    const panel = {};
    for (const stat of ['latency-now', 'latency-mean', 'latency-max', 'fps', 'bitrate', 'resolution', 'clock']) {
      panel[stat] = await panelText(page, stat);
    }
    t.diagnostic(`panel: ${JSON.stringify(panel)}`);
    assert.ok(number(panel['latency-now']) > 0, `latency now: ${panel['latency-now']}`);
    assert.ok(number(panel.fps) > 0, `fps: ${panel.fps}`);
    assert.ok(number(panel.bitrate) > 0, `bitrate: ${panel.bitrate}`);
    assert.equal(panel.resolution, `${WIDTH}×${HEIGHT}`);

    const { stamped, metered, unreadable } = await page.evaluate(collect, { frames: FRAMES });
    const meter = new Map(metered.map((reading) => [reading.rtpTimestamp, reading.latencyMs]));
    // The reader takes the video's current picture, which can already be the next frame when
    // the callback runs late: that frame's stamp then shows up twice, and only its last
    // reading belongs to its own callback.
    const lastOfStamp = new Map(stamped.map((frame, i) => [frame.stamp, i]));
    const differences = stamped.filter((frame, i) => lastOfStamp.get(frame.stamp) === i)
      .filter((frame) => meter.has(frame.rtpTimestamp))
      .map((frame) => Math.abs(meter.get(frame.rtpTimestamp) - frame.latencyMs));
    const clock = await page.$eval('kvm-video', (screen) => screen.clock);
    t.diagnostic(`${stamped.length} stamped frames (${unreadable} unreadable), ${metered.length} meter ` +
      `readings, ${differences.length} matched; stamp latency median ${median(stamped.map((f) => f.latencyMs))?.toFixed(1)} ms; ` +
      `|meter − stamp| median ${median(differences)?.toFixed(2)} ms, max ${Math.max(...differences).toFixed(2)} ms; ` +
      `clock offset ${clock?.offsetMs.toFixed(2)} ± ${clock?.errorMs.toFixed(2)} ms`);
    assert.ok(differences.length >= MIN_MATCHED, `only ${differences.length} frames had both readings`);
    assert.ok(median(differences) < MEDIAN_TOLERANCE_MS, `median difference ${median(differences)} ms`);
    assert.ok(Math.max(...differences) < MAX_TOLERANCE_MS, `a difference of ${Math.max(...differences)} ms`);

    const shown = await page.$eval('kvm-status', (bar) => bar.getAttribute('latency'));
    assert.match(shown ?? '', /^\d+$/, `kvm-status latency="${shown}"`);
    assert.ok(Number(shown) >= 1 && Number(shown) <= 500, `kvm-status shows ${shown} ms`);
    const field = await page.$eval('kvm-status', (bar) => bar.shadowRoot.querySelector('.latency').textContent);
    assert.match(field, /^Latency \d+ ms$/);
    await keepScreenshot(page, 'latency-meter');

    // The panel stays open across a reload: the choice is remembered.
    await page.reload();
    await waitForState(page, 'live');
    assert.equal(await page.locator('kvm-stats').isVisible(), true, 'the panel is open again');
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
  } finally {
    await page.close();
  }
});
