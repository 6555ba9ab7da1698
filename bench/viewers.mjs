// Daemon cost per viewer: opens 1 and then 3 headless Chromium viewers at 1080p30 and prints
// the daemon's CPU (user+sys as a share of one core), peak RSS, and each viewer's fps.
import { Daemon, testConfig } from '../tests/e2e/lib/daemon.mjs';
import { launchBrowser, measureFrames, openViewer } from '../tests/e2e/lib/browser.mjs';
import { cpuSeconds, peakRssKiB } from '../tests/e2e/lib/process-usage.mjs';

const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 10000);

async function measure(daemon, pages) {
  const pid = daemon.child.pid;
  const startCpu = cpuSeconds(pid);
  const started = Date.now();
  const frames = await Promise.all(pages.map((page) => measureFrames(page, WINDOW_MS)));
  const seconds = (Date.now() - started) / 1000;
  const cpu = (cpuSeconds(pid) - startCpu) / seconds;
  return { cpu, rss: peakRssKiB(pid) / 1024, fps: frames.map((f) => f.fps) };
}

const [width, height] = (process.env.BENCH_SIZE ?? '1920x1080').split('x').map(Number);
const daemon = await Daemon.start(testConfig({ video: { width, height, framerate: 30, bitrate: 4000 } }));
const browser = await launchBrowser();
const rows = [];
try {
  const pages = [];
  for (const count of [1, 3]) {
    while (pages.length < count) pages.push(await openViewer(browser, daemon.url));
    rows.push({ viewers: count, ...(await measure(daemon, pages)) });
  }
} finally {
  await browser.close();
  await daemon.stop();
}
console.log(`kvmrtc daemon, ${width}x${height}@30, x264 4000 kbit/s, ${WINDOW_MS / 1000} s windows`);
console.log('viewers | daemon CPU (% of one core) | peak RSS (MiB) | fps per viewer');
for (const row of rows) {
  console.log(`${String(row.viewers).padStart(7)} | ${(row.cpu * 100).toFixed(1).padStart(26)} | ` +
    `${row.rss.toFixed(1).padStart(14)} | ${row.fps.map((f) => f.toFixed(1)).join(', ')}`);
}
