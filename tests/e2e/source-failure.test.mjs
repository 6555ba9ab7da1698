// A source that fails (here: its writer process dies, as a capture device does when unplugged)
// shows "no signal" in the page, and the same page goes live again when the source returns.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, measureFrames, openViewer, waitForState } from './lib/browser.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const socketPath = join(tmpdir(), `kvmrtc-e2e-source-${process.pid}.sock`);
const caps = 'video/x-raw,format=I420,width=640,height=360,framerate=30/1';

// A separate process that owns the "device": killing it is pulling the cable.
function startSourceProcess() {
  rmSync(socketPath, { force: true });
  const writer = spawn('gst-launch-1.0', ['-q', 'videotestsrc', 'is-live=true', 'pattern=ball',
    '!', caps, '!', 'shmsink', `socket-path=${socketPath}`, 'wait-for-connection=false',
    'shm-size=20000000', 'sync=true'], { stdio: 'ignore' });
  writer.exited = new Promise((done) => writer.on('exit', done));
  return writer;
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); rmSync(socketPath, { force: true }); });

test('a failing source shows "no signal", then live again without a reload', async () => {
  let writer = startSourceProcess();
  const daemon = await Daemon.start(testConfig({
    video: {
      source: `shmsrc socket-path=${socketPath} is-live=true do-timestamp=true ! ${caps}`,
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

    writer = startSourceProcess();
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
