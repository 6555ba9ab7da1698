// The README's first command as a new user runs it: scripts/run.sh, with no arguments, serves
// the built-in default on http://127.0.0.1:8080/, where the page plays the test pattern, and
// Ctrl+C stops it cleanly. Here it runs in the tests' loopback-only namespace, so the built-in
// default must work on a machine with no interface but loopback.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, repoRoot } from './lib/daemon.mjs';
import { launchBrowser, measureFrames, openViewer } from './lib/browser.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

test('scripts/run.sh serves the built-in default live on http://127.0.0.1:8080/', async (t) => {
  const daemon = await Daemon.run(join(repoRoot, 'scripts/run.sh'), []);
  try {
    assert.equal(daemon.url, 'http://127.0.0.1:8080/');
    const page = await openViewer(browser, daemon.url);
    const frames = await measureFrames(page, 3000);
    t.diagnostic(`built-in default: ${frames.width}x${frames.height}, ${frames.fps.toFixed(1)} fps`);
    assert.deepEqual([frames.width, frames.height], [1920, 1080]);
    assert.ok(frames.fps >= 25, `only ${frames.fps.toFixed(1)} fps presented`);
    await keepScreenshot(page, 'readme-run-command');
    await page.close();
  } finally {
    assert.deepEqual(await daemon.stop('SIGINT'), { code: 0, signal: null }, daemon.log);
  }
});
