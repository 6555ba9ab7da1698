// Loading the page starts the capture pipeline before the page asks for video, so the encoder
// is warm when the viewer's negotiation needs its first frame; without a viewer it stops again.
// The page opens its signaling socket before its modules load, and its first session uses it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer } from './lib/browser.mjs';

test('serving the page warms the producer up, and it stops again when no viewer comes', async () => {
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  try {
    assert.equal((await daemon.status()).video.state, 'stopped');
    // Other files and the status API do not: only the page itself announces a viewer.
    await (await fetch(new URL('/app.js', daemon.url))).text();
    assert.equal((await daemon.status()).video.state, 'stopped');
    const page = await fetch(daemon.url);
    assert.equal(page.status, 200);
    await page.text();
    const warm = await daemon.waitForStatus((s) => s.video.state === 'live',
      { what: 'the producer live after the page was served' });
    assert.equal(warm.viewers, 0);
    await daemon.waitForStatus((s) => s.video.state === 'stopped',
      { timeoutMs: 15000, what: 'the producer stopped again without a viewer' });
  } finally {
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});

test('the signaling socket opens while the page is still loading, and the first session uses it', async () => {
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.socketsOpened = [];
      const Original = window.WebSocket;
      window.WebSocket = class extends Original {
        constructor(...args) {
          super(...args);
          window.socketsOpened.push(document.readyState);
        }
      };
    });
    const page = await openViewer(context, daemon.url);
    // Module scripts run once the document is parsed ('interactive'); the early socket before.
    assert.deepEqual(await page.evaluate(() => window.socketsOpened), ['loading']);
    assert.equal((await daemon.status()).viewers, 1);
    await context.close();
  } finally {
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
