// Faults kept up, one cycle after another: the video source fails and comes back; the keyboard
// device disappears and comes back; the mouse's reader goes away and comes back; and all the
// while another page floods the input channel at 1000 messages a second. The steady page
// recovers from each fault on the same connection, keys still arrive, and the daemon's memory,
// files and threads stay flat. FAULT_CYCLES=40 is the long form (about three minutes).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import {
  exposeInputChannel, launchBrowser, measureFrames, waitForFunction, waitForState,
} from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';
import { processUsage, settledUsage } from './lib/process-usage.mjs';
import { shmSourceFragment, startShmSource } from './lib/shm-source.mjs';
import { trackedPage } from './lib/users.mjs';

const CYCLES = Number(process.env.FAULT_CYCLES ?? 8);
// Memory is compared from the end of this cycle on, once the allocator has its working set.
const WARM_CYCLES = 3;
// Allowed growth after the warm cycles: a leak per fault (a pipeline, a device writer) would
// pass it within a few dozen cycles.
const RSS_GROWTH_KIB = 4 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-e2e-faults-'));
const socketPath = join(dir, 'source.sock');

// A page whose input data channel the test drives itself (window.kvmrtcHid).
async function pageWithInputChannel(browser, url) {
  const page = await trackedPage(browser);
  await exposeInputChannel(page);
  await page.goto(url);
  await waitForState(page, 'live');
  await page.waitForFunction(() => window.kvmrtcHid?.readyState === 'open');
  return page;
}

const hidState = (page, wanted) => waitForFunction(page,
  (state) => document.querySelector('kvm-status')?.getAttribute('hid') === state, wanted);

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
});

test(`${CYCLES} cycles of faults: the steady page recovers from each, memory stays flat`,
  async () => {
    let source = startShmSource(socketPath);
    const keyboardPath = join(dir, 'hidg0');
    const mousePath = join(dir, 'hidg1');
    let keyboard = new FifoDevice(keyboardPath, 8);
    let mouse = new FifoDevice(mousePath, 7);
    const relative = new FifoDevice(join(dir, 'hidg2'), 4);
    const daemon = await Daemon.start(testConfig({
      video: {
        source: shmSourceFragment(socketPath),
        width: 640, height: 360,
      },
      extra: `[hid]\nkeyboard=${keyboardPath}\nmouse=${mousePath}\n`
        + `mouse-relative=${relative.path}\n`,
    }));
    try {
      const steady = await pageWithInputChannel(browser, daemon.url);
      const flooder = await pageWithInputChannel(browser, daemon.url);
      // 1000 messages a second, presses and releases of A and moves, until the test ends.
      await flooder.evaluate(() => {
        let sent = 0;
        window.kvmrtcFlood = setInterval(() => {
          for (let i = 0; i < 10; i += 1, sent += 1) {
            const message = sent % 4 === 3
              ? { t: 'abs', x: (sent % 1000) / 1000, y: 0.5, buttons: 0 }
              : { t: 'key', code: 'KeyA', down: sent % 2 === 0 };
            if (window.kvmrtcHid.readyState === 'open') window.kvmrtcHid.send(JSON.stringify(message));
          }
        }, 10);
      });
      const recoveries = [];
      let warm;
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        // The cable is pulled, and while there is no picture the keyboard goes away and the
        // mouse's reader stops.
        source.kill('SIGKILL');
        await source.exited;
        await waitForState(steady, 'no-signal');
        keyboard.close();
        rmSync(keyboardPath);
        mouse.close();
        await hidState(steady, 'missing');

        source = startShmSource(socketPath);
        const pluggedIn = performance.now();
        await waitForState(steady, 'live', 30000);
        recoveries.push(performance.now() - pluggedIn);
        keyboard = new FifoDevice(keyboardPath, 8);
        mouse = new FifoDevice(mousePath, 7, { existing: true });
        await hidState(steady, 'ok');
        // A key from the steady page reaches the target among the flood's.
        await steady.evaluate(() => {
          for (const down of [true, false]) {
            window.kvmrtcHid.send(JSON.stringify({ t: 'key', code: 'KeyJ', down }));
          }
        });
        await keyboard.waitFor((reports) => reports.some((report) => report.slice(2).includes(0x0d)),
          `cycle ${cycle}: the steady page's J`);
        if (cycle === WARM_CYCLES - 1) warm = processUsage(daemon.child.pid);
      }
      const fps = (await measureFrames(steady, 1000)).fps;
      const end = await settledUsage(daemon.child.pid, warm);
      console.log(`recovery after the source came back: ${recoveries.map((ms) => ms.toFixed(0))} ms`);
      console.log(`after cycle ${WARM_CYCLES} → after cycle ${CYCLES}: RSS ${warm.rssKiB} → ${end.rssKiB} KiB, `
        + `fds ${warm.fds} → ${end.fds}, threads ${warm.threads} → ${end.threads}; ${fps.toFixed(1)} fps`);
      assert.ok(fps > 20, `${fps} fps after the faults`);
      assert.deepEqual(steady.socketCloses, [], 'the steady page reconnected; the daemon said: '
        + daemon.log.split('\n').filter((line) => / closed \(/.test(line)).join('\n'));
      assert.ok(end.rssKiB - warm.rssKiB < RSS_GROWTH_KIB, `RSS grew ${end.rssKiB - warm.rssKiB} KiB`);
      assert.ok(end.fds <= warm.fds + 2, `fds ${warm.fds} → ${end.fds}`);
      assert.ok(end.threads <= warm.threads + 2, `threads ${warm.threads} → ${end.threads}`);
      assert.equal((await daemon.status()).viewers, 2);
      await flooder.evaluate(() => clearInterval(window.kvmrtcFlood));
      // Whatever the flood pressed was released: the keyboard's last report holds no key.
      await keyboard.waitFor((reports) => reports.at(-1)?.every((byte) => byte === 0),
        'every key released');
      await steady.close();
      await flooder.close();
    } finally {
      source.kill('SIGKILL');
      for (const device of [keyboard, mouse, relative]) device.close();
      assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
    }
  });
