// Time from a key press in the page to its report on the keyboard device: 200 keys through
// headless Chromium, the data channel and the daemon into a FIFO. Measured from just before
// Playwright dispatches the key (so it includes the DevTools hop, an upper bound) to the moment
// the report's bytes are readable from the FIFO.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, testConfig } from '../tests/e2e/lib/daemon.mjs';
import { launchBrowser, openViewer } from '../tests/e2e/lib/browser.mjs';
import { FifoDevice } from '../tests/e2e/lib/fifo-device.mjs';

const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-bench-'));
const keyboard = new FifoDevice(join(dir, 'hidg0'), 8);
const mouse = new FifoDevice(join(dir, 'hidg1'), 7);
const relative = new FifoDevice(join(dir, 'hidg2'), 4);
const daemon = await Daemon.start(testConfig({
  video: { width: 1280, height: 720 },
  extra: `[hid]\nkeyboard=${keyboard.path}\nmouse=${mouse.path}\nmouse-relative=${relative.path}\n`,
}));
const browser = await launchBrowser();
const samples = [];
try {
  const page = await openViewer(browser, daemon.url);
  await page.waitForFunction(() => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
  await page.click('kvm-video');
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < KEYS; i += 1) {
    const code = `Key${letters[i % letters.length].toUpperCase()}`;
    keyboard.clear();
    const arrived = new Promise((done) => keyboard.socket.once('data', () => done(performance.now())));
    const started = performance.now();
    await page.keyboard.down(code);
    samples.push((await arrived) - started);
    await page.keyboard.up(code);
    await keyboard.waitFor((reports) => reports.length >= 2, 'key up');
  }
} finally {
  await browser.close();
  for (const device of [keyboard, mouse, relative]) device.close();
  await daemon.stop();
}
samples.sort((a, b) => a - b);
const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
console.log(`keydown in the page → report on the keyboard device, ${samples.length} keys`);
console.log(`median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, ` +
  `worst ${samples.at(-1).toFixed(2)} ms, best ${samples[0].toFixed(2)} ms`);
