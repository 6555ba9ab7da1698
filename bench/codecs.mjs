// H.264 against VP8, in the browser of KVMRTC_BROWSER (chromium or firefox): for each codec and
// size, one page watches the moving ball for a window, and the table gives the frames it
// showed, the daemon's CPU, and the capture → display latency read from the stamp the daemon
// paints into each frame (as bench/latency.mjs does). Chromium gets VP8 when the daemon prefers
// it ([webrtc] codecs=vp8,h264); Debian's Firefox gets H.264 with the FFmpeg prefs.
//   KVMRTC_BROWSER=firefox bench/run.sh codecs.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Daemon, testConfig } from '../tests/e2e/lib/daemon.mjs';
import { browserName, firefoxH264Prefs, launchBrowser, openViewer } from '../tests/e2e/lib/browser.mjs';
import { cpuSeconds } from '../tests/e2e/lib/process-usage.mjs';
import { installStampReader, STAMP_LAYOUT } from '../tests/e2e/lib/stamp-reader.mjs';

const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10000);
const SETTLE_MS = 2000;
const ball = (width, height) =>
  `videotestsrc is-live=true pattern=ball ! video/x-raw,width=${width},height=${height},framerate=30/1`;
const SCENARIOS = [
  { codec: 'H264', width: 1280, height: 720, bitrate: 2000 },
  { codec: 'VP8', width: 1280, height: 720, bitrate: 2000 },
  { codec: 'H264', width: 1920, height: 1080, bitrate: 4000 },
  { codec: 'VP8', width: 1920, height: 1080, bitrate: 4000 },
];

// Runs in the page: the stamp latency of every frame shown during `duration` ms, and the count.
function readLatencies(duration) {
  return new Promise((done) => {
    const video = document.querySelector('kvm-video').shadowRoot.querySelector('video');
    const latencies = [];
    let frames = 0;
    let unreadable = 0;
    let finished = false;
    const onFrame = async () => {
      const shownAt = performance.timeOrigin + performance.now();
      if (!finished) video.requestVideoFrameCallback(onFrame);
      frames += 1;
      const stamp = await window.readStamp(video);
      if (stamp === null) unreadable += 1;
      else latencies.push(shownAt - stamp);
    };
    video.requestVideoFrameCallback(onFrame);
    setTimeout(() => {
      finished = true;
      done({ latencies, frames, unreadable });
    }, duration);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function measure(scenario) {
  const daemon = await Daemon.start(testConfig({
    video: {
      source: ball(scenario.width, scenario.height), width: scenario.width, height: scenario.height,
      framerate: 30, bitrate: scenario.bitrate, 'latency-stamp': true,
    },
    extra: scenario.codec === 'VP8' ? 'codecs=vp8,h264\n' : '',
  }));
  const browser = await launchBrowser({
    firefoxExtraPrefs: scenario.codec === 'H264' ? firefoxH264Prefs : {},
  });
  try {
    const page = await openViewer(browser, daemon.url, { width: 1280, height: 720 });
    const codec = await page.$eval('kvm-video', (video) => video.codec);
    if (codec !== scenario.codec) throw new Error(`wanted ${scenario.codec}, the page got ${codec}`);
    // VP8 comes scaled down to 720 lines ([video] vp8-max-height), its stamp with it.
    const scale = scenario.codec === 'VP8' ? Math.min(1, 720 / scenario.height) : 1;
    await page.evaluate(installStampReader, { ...STAMP_LAYOUT, block: STAMP_LAYOUT.block * scale });
    await new Promise((settled) => setTimeout(settled, SETTLE_MS));
    const cpuBefore = cpuSeconds(daemon.child.pid);
    const startedAt = Date.now();
    const { latencies, frames, unreadable } = await page.evaluate(readLatencies, WINDOW_MS);
    const cpu = (cpuSeconds(daemon.child.pid) - cpuBefore) / ((Date.now() - startedAt) / 1000);
    const sorted = latencies.sort((a, b) => a - b);
    return {
      ...scenario,
      fps: frames / (WINDOW_MS / 1000),
      cpu: cpu * 100,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      unreadable,
    };
  } finally {
    await browser.close();
    await daemon.stop();
  }
}

const rows = [`${browserName}: codec | size      |  fps | daemon CPU % | p50 ms | p95 ms | unread`];
for (const scenario of SCENARIOS) {
  const r = await measure(scenario);
  const figure = (value) => (value === undefined ? '—' : value.toFixed(1));
  rows.push(`${r.codec.padEnd(5)} | ${`${r.width}x${r.height}`.padEnd(9)} | ${r.fps.toFixed(1).padStart(4)} | ` +
    `${r.cpu.toFixed(1).padStart(12)} | ${figure(r.p50).padStart(6)} | ${figure(r.p95).padStart(6)} | ${r.unreadable}`);
  console.log(rows.at(-1));
}
const dir = fileURLToPath(new URL('results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = join(dir, `codecs-${browserName}-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
writeFileSync(file, `${rows.join('\n')}\n`);
console.log(`written to ${file}`);
