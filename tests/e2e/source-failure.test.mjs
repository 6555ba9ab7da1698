// A source that fails (here: its writer process dies, as a capture device does when unplugged)
// shows "no signal" in the page, and the same page goes live again when the source returns. A
// source whose open() blocks does not stop the daemon answering meanwhile.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, measureFrames, newPage, openViewer, waitForState } from './lib/browser.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';
import { shmSourceFragment, startShmSource } from './lib/shm-source.mjs';

const socketPath = join(tmpdir(), `kvmrtc-e2e-source-${process.pid}.sock`);
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); rmSync(socketPath, { force: true }); });

test('a failing source shows "no signal", then live again without a reload', async () => {
  let writer = startShmSource(socketPath);
  const daemon = await Daemon.start(testConfig({
    video: {
      source: shmSourceFragment(socketPath),
      width: 640, height: 360,
    },
  }));
  try {
    const page = await openViewer(browser, daemon.url);
    assert.ok((await measureFrames(page, 1000)).fps > 20);

    writer.kill('SIGKILL');
    await writer.exited;
    await waitForState(page, 'no-signal');
    const overlay = await page.$eval('kvm-video', (video) => video.shadowRoot.textContent);
    assert.match(overlay, /no signal/i);
    await keepScreenshot(page, 'no-signal');
    assert.equal((await daemon.status()).video.state, 'no-signal');
    const health = await fetch(new URL('/healthz', daemon.url));
    assert.equal(health.status, 503);
    assert.equal(await health.text(), 'no signal\n');

    writer = startShmSource(socketPath);
    await waitForState(page, 'live', 30000);
    const frames = await measureFrames(page, 2000);
    assert.ok(frames.fps > 20, `after the source returned only ${frames.fps} fps`);
    const status = await daemon.status();
    assert.ok(status.video.restarts >= 1);
    assert.equal((await fetch(new URL('/healthz', daemon.url))).status, 200);
    assert.equal(status.viewers, 1);
    // One warning for the failure, not one per retry.
    assert.equal(daemon.log.match(/video source failed/g)?.length, 1, daemon.log);
    await page.close();
  } finally {
    writer.kill('SIGKILL');
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('a device whose open() blocks: the daemon answers meanwhile; the page goes live once it opens',
  async () => {
    // A FIFO's open() for reading waits for a writer, as a wedged capture driver's can.
    const fifo = join(tmpdir(), `kvmrtc-e2e-fifo-${process.pid}`);
    rmSync(fifo, { force: true });
    execFileSync('mkfifo', [fifo]);
    const daemon = await Daemon.start(testConfig({
      video: {
        source: `filesrc location=${fifo}`
          + ' ! rawvideoparse format=i420 width=320 height=180 framerate=30/1',
        width: 320, height: 180,
      },
    }));
    let writer;
    try {
      const page = await newPage(browser);
      await page.goto(daemon.url);
      await waitForState(page, 'connecting');
      // Two seconds of the open hanging: HID, signaling and the API live on the same loop.
      const slowest = { ms: 0 };
      const until = performance.now() + 2000;
      while (performance.now() < until) {
        const asked = performance.now();
        const status = await daemon.status();
        slowest.ms = Math.max(slowest.ms, performance.now() - asked);
        assert.equal(status.video.state, 'starting');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      console.log(`while the open() hangs: slowest /api/status ${slowest.ms.toFixed(0)} ms`);
      assert.ok(slowest.ms < 500, `${slowest.ms.toFixed(0)} ms`);
      writer = spawn('gst-launch-1.0', ['-q', 'videotestsrc', 'is-live=true', 'pattern=ball', '!',
        'video/x-raw,format=I420,width=320,height=180,framerate=30/1', '!', 'filesink',
        `location=${fifo}`], { stdio: 'ignore' });
      await waitForState(page, 'live');
      assert.ok((await measureFrames(page, 1000)).fps > 20);
      await page.close();
    } finally {
      writer?.kill('SIGKILL');
      assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
      rmSync(fifo, { force: true });
    }
  });
