// Bad input on the signaling socket is answered with an error on that socket and logged; the
// daemon and a live viewer beside it carry on. Silent and cross-origin sockets are closed.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, measureFrames, openViewer } from './lib/browser.mjs';

let browser;
let daemon;
let liveViewer;
before(async () => {
  browser = await launchBrowser();
  daemon = await Daemon.start(testConfig({ video: { width: 1280, height: 720 } }));
  liveViewer = await openViewer(browser, daemon.url);
});
after(async () => {
  await browser.close();
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

// Opens a raw signaling socket from a page of the daemon's origin and sends `messages` (strings,
// or {binary: n} for a binary frame of n bytes); resolves with the error codes received, after
// the daemon's answer to a final `keyframe` message shows that every earlier one was handled.
async function sendRaw(page, messages) {
  return page.evaluate((toSend) => new Promise((done, fail) => {
    const socket = new WebSocket(`ws://${location.host}/api/ws`);
    const codes = [];
    let pending = toSend.length;
    socket.onopen = () => {
      for (const message of toSend) {
        socket.send(typeof message === 'string' ? message : new Uint8Array(message.binary));
      }
      socket.send(JSON.stringify({ type: 'pong' }));
    };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type !== 'error') return;
      codes.push(message.code);
      pending -= 1;
      if (pending === 0) {
        socket.close();
        done(codes);
      }
    };
    socket.onclose = () => { if (pending > 0) fail(new Error(`closed with ${codes}`)); };
  }), messages);
}

test('each kind of bad message gets its error code and the live viewer keeps playing', async () => {
  const probe = await browser.newPage();
  await probe.goto(daemon.url);
  const codes = await sendRaw(probe, [
    'not json at all',
    '[1, 2, 3]',
    '{"type": 5}',
    '{"type": "launch-missiles"}',
    '{"type": "ice", "candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMLineIndex": 0}',
    '{"type": "ice", "candidate": "x", "sdpMLineIndex": "zero"}',
    '{"type": "answer", "sdp": 42}',
    '{"type": "answer", "sdp": "this is not SDP"}',
    JSON.stringify({ type: 'answer', sdp: 'v=0\r\n'.padEnd(100 * 1024, 'x') }),
    { binary: 16 },
  ]);
  assert.deepEqual(codes, ['bad-json', 'bad-json', 'bad-field', 'unknown-type', 'out-of-order',
    'bad-field', 'bad-field', 'bad-sdp', 'too-large', 'bad-json']);
  await daemon.waitForLog(/rejected a message \(unknown-type\)/);
  await probe.close();

  // In Firefox the probe was a tab in front of it, and a tab hidden for about 10 s shows nothing.
  await liveViewer.bringToFront();
  const frames = await measureFrames(liveViewer, 3000);
  assert.ok(frames.fps >= 25, `the live viewer fell to ${frames.fps} fps`);
  await daemon.waitForStatus((s) => s.viewers === 1, { what: 'only the live viewer left' });
});

test('a socket from a page of another origin is refused', async () => {
  // Another web server on the same machine: its pages are another origin than the daemon's.
  const foreign = createServer((_request, response) => response.end('<!doctype html><p>elsewhere'));
  await new Promise((listening) => foreign.listen(0, '127.0.0.1', listening));
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${foreign.address().port}/`);
    const closeCode = await page.evaluate((url) => new Promise((done) => {
      const socket = new WebSocket(url);
      socket.onclose = (event) => done(event.code);
    }), `ws://127.0.0.1:${new URL(daemon.url).port}/api/ws`);
    // The daemon answers the handshake 403: the page sees a socket that never opened.
    assert.equal(closeCode, 1006);
    await daemon.waitForLog(/by a page of another origin \(http:\/\/127\.0\.0\.1:\d+\)/);
  } finally {
    await page.close();
    foreign.close();
  }
});

test('a browser that goes silent is noticed and its viewer freed', async () => {
  const page = await openViewer(browser, daemon.url);
  const before = (await daemon.status()).viewers;
  // A connected page that stops answering, like a browser whose machine lost its network.
  await page.evaluate(() => { WebSocket.prototype.send = () => {}; });
  const silentSince = Date.now();
  await daemon.waitForStatus((s) => s.viewers < before, { timeoutMs: 30000, what: 'viewer freed' });
  const freedAfterMs = Date.now() - silentSince;
  assert.ok(freedAfterMs >= 9000 && freedAfterMs <= 25000, `freed after ${freedAfterMs} ms`);
  await daemon.waitForLog(/went silent/);
  await page.close();
});
