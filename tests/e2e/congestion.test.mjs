// Congestion control: when the link of a connected page becomes slower than the configured
// bitrate, the daemon lowers the shared encoder's bitrate below the link's rate from the
// browser's REMB feedback, and raises it again when the link is fast once more. The link is
// loopback shaped by a token bucket inside the test's private network namespace.
// (bench/latency.mjs measures a page that starts on the slow link.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, measureFrames, openViewer } from './lib/browser.mjs';

const LINK_KBPS = 1500;
// SMPTE bars with their noise block need about 3 Mbit/s at 720p: more than the link carries.
const NOISY_SOURCE = 'videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! ' +
  'video/x-raw,width=1280,height=720,framerate=30/1';

function shapeLoopback(on) {
  // The bucket (32 kbit) drops any packet larger than itself, and loopback's packets are up to
  // 64 KiB: an Ethernet MTU keeps the page's HTTP flowing.
  execFileSync('ip', ['link', 'set', 'lo', 'mtu', on ? '1500' : '65536']);
  execFileSync('tc', on
    ? ['qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', `${LINK_KBPS}kbit`, 'burst', '32kbit', 'latency', '50ms']
    : ['qdisc', 'del', 'dev', 'lo', 'root']);
}

// The page's video receiver: how often it asked for lost packets, and how many came again.
async function retransmissions(page) {
  const report = await page.evaluate(async () => document.querySelector('kvm-video').receiverStats());
  return report ?? { nackCount: 0, retransmittedPacketsReceived: 0 };
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('the encoder follows a slow link down and a fast one back up', async (t) => {
  const daemon = await Daemon.start(testConfig({
    video: { source: NOISY_SOURCE, width: 1280, height: 720, bitrate: 4000 },
  }));
  let shaped = false;
  try {
    assert.equal((await daemon.status()).video.bitrate_kbps, 4000);
    const page = await openViewer(browser, daemon.url);
    await daemon.waitForStatus((s) => s.video.receiver_estimate_kbps > 0,
      { timeoutMs: 30000, what: "the browser's first bandwidth estimate" });
    shapeLoopback(true);
    shaped = true;
    const slowed = await daemon.waitForStatus((s) => s.video.bitrate_kbps < LINK_KBPS,
      { timeoutMs: 30000, what: `an encoder bitrate below the link's ${LINK_KBPS} kbit/s` });
    t.diagnostic(`on the ${LINK_KBPS} kbit/s link: ${slowed.video.bitrate_kbps} kbit/s`);
    const frames = await measureFrames(page, 3000);
    t.diagnostic(`${frames.fps.toFixed(1)} fps presented on the slow link`);
    assert.ok(frames.fps > 10, `the picture nearly stopped: ${frames.fps.toFixed(1)} fps`);
    // The bucket dropped packets: the browser asked for them again and got them, instead of
    // freezing until a keyframe.
    const repairs = await retransmissions(page);
    t.diagnostic(`NACKs sent: ${repairs.nackCount}, packets resent: ${repairs.retransmittedPacketsReceived}`);
    assert.ok(repairs.nackCount > 0, 'the browser never asked for a lost packet');
    assert.ok(repairs.retransmittedPacketsReceived > 0, 'no lost packet was resent');

    shapeLoopback(false);
    shaped = false;
    const recovered = await daemon.waitForStatus((s) => s.video.bitrate_kbps >= 3000,
      { timeoutMs: 30000, what: 'the bitrate back up on the fast link' });
    t.diagnostic(`back on the fast link: ${recovered.video.bitrate_kbps} kbit/s`);
    await page.close();
  } finally {
    if (shaped) shapeLoopback(false);
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('a fixed bitrate (min-bitrate = max-bitrate) is left alone on a slow link', async () => {
  const daemon = await Daemon.start(testConfig({
    video: { source: NOISY_SOURCE, width: 1280, height: 720, bitrate: 4000, 'min-bitrate': 4000 },
  }));
  let shaped = false;
  try {
    const page = await openViewer(browser, daemon.url);
    shapeLoopback(true);
    shaped = true;
    const congested = await daemon.waitForStatus(
      (s) => s.video.receiver_estimate_kbps > 0 && s.video.receiver_estimate_kbps < 3000,
      { timeoutMs: 30000, what: 'the browser reporting the slow link' });
    assert.equal(congested.video.bitrate_kbps, 4000);
    await page.close();
  } finally {
    if (shaped) shapeLoopback(false);
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
