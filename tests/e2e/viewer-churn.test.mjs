// Fifty viewers come and go; the daemon ends with the threads, files and memory it had, and
// with no GstPromise of theirs alive (GStreamer's leaks tracer lists the live ones on SIGUSR1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer } from './lib/browser.mjs';
import { processUsage, settledUsage } from './lib/process-usage.mjs';

const CYCLES = 50;

test(`${CYCLES} open/close cycles leak no threads, files or memory`, async () => {
  const browser = await launchBrowser();
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }), {
    env: Daemon.leaksTracerEnv('GstPromise,GstWebRTCBin'),
  });
  try {
    // One viewer stays, so the producer runs throughout and only viewer pipelines churn.
    const anchor = await openViewer(browser, daemon.url);
    const cycle = async () => {
      let page;
      try {
        page = await openViewer(browser, daemon.url);
      } catch (error) {
        // Rare; when it happens, say what the daemon saw so the stalled stage can be found.
        throw new Error(`${error.message}\ndaemon log (end):\n${daemon.log.slice(-4000)}`);
      }
      await page.close();
      await daemon.waitForStatus((s) => s.viewers === 1, { what: 'viewer freed' });
    };
    for (let i = 0; i < 5; i += 1) await cycle();  // warm-up: caches, thread pools
    const start = processUsage(daemon.child.pid);
    for (let i = 0; i < CYCLES; i += 1) await cycle();
    const end = await settledUsage(daemon.child.pid, start);
    console.log(`daemon before: ${JSON.stringify(start)}, after ${CYCLES} cycles: ${JSON.stringify(end)}`);
    assert.ok(end.threads <= start.threads + 2, `threads ${start.threads} → ${end.threads}`);
    assert.ok(end.fds <= start.fds + 2, `open files ${start.fds} → ${end.fds}`);
    // AddressSanitizer keeps freed memory in quarantine (256 MiB): there, LeakSanitizer at the
    // daemon's exit is the leak check instead.
    if (!process.env.KVMRTC_SANITIZED) {
      assert.ok(end.rssKiB - start.rssKiB < 8 * 1024, `RSS ${start.rssKiB} → ${end.rssKiB} KiB`);
    }

    // A promise kept per viewer would be in the two listings 2 × CYCLES times.
    const promises = await daemon.countLiveObjects('GstPromise');
    console.log(`GstPromise objects alive in two listings after ${CYCLES + 5} viewers: ${promises}`);
    assert.ok(promises < CYCLES / 2, `${promises} GstPromise objects alive`);
    await anchor.close();
  } finally {
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
