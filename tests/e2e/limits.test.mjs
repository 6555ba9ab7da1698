// The limits that keep one client from taking the board, tried as a hostile page would: too many
// sockets, a flood of input, oversized messages, endless ICE candidates, a flood of bad messages,
// connections opened and left idle. Each gets an error naming its config key, and the daemon
// goes on serving.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import {
  exposeInputChannel, launchBrowser, measureFrames, newPage, openViewer,
} from './lib/browser.mjs';
import { FifoDevice } from './lib/fifo-device.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser.close(); });

// A page of the daemon's origin with no app in it, to open sockets from as a script would.
async function blankPage(daemon) {
  const page = await newPage(browser);
  await page.goto(new URL('/healthz', daemon.url).href);
  return page;
}

// Opens `count` signaling sockets from `page`; resolves with what each was told first after
// its hello (or `closed`).
function openSockets(page, count) {
  return page.evaluate((n) => Promise.all(Array.from({ length: n }, () => new Promise((done) => {
    const socket = new WebSocket(`ws://${location.host}/api/ws`);
    window.kvmrtcSockets = [...(window.kvmrtcSockets ?? []), socket];
    socket.onmessage = ({ data }) => {
      const message = JSON.parse(data);
      if (message.type === 'error') done(message.code);
      if (message.type === 'offer') done('offer');
    };
    socket.onclose = () => done('closed');
  }))), count);
}

test('max-viewers: forty sockets from one page get eight viewers; the rest are told why',
  async () => {
    const daemon = await Daemon.start(testConfig({ video: { width: 320, height: 180 } }));
    try {
      const page = await blankPage(daemon);
      const outcomes = await openSockets(page, 40);
      const count = (what) => outcomes.filter((outcome) => outcome === what).length;
      assert.equal(count('offer'), 8, JSON.stringify(outcomes));
      assert.equal(count('too-many-viewers'), 32, JSON.stringify(outcomes));
      assert.equal((await daemon.status()).viewers, 8);
      await daemon.waitForLog(/refused: 8 watch already \(\[server\] max-viewers\)/);
      // The refused sockets are closed by the daemon; the others free their place on closing.
      await page.evaluate(() => window.kvmrtcSockets.forEach((socket) => socket.close()));
      await daemon.waitForStatus((status) => status.viewers === 0, { what: 'viewers freed' });
      const viewer = await openViewer(browser, daemon.url);
      assert.ok((await measureFrames(viewer, 1000)).fps > 15);
      await viewer.close();
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('a page flooding 1000 input messages a second: presses dropped over the rate, no key stuck,'
  + ' the picture plays on', async () => {
  const keyboard = new FifoDevice(join(process.env.TMPDIR ?? '/tmp', `kvmrtc-kbd-${process.pid}`), 8);
  const daemon = await Daemon.start(testConfig({
    video: { width: 640, height: 360, framerate: 30 },
    extra: `[hid]\nkeyboard=${keyboard.path}\n[limits]\ninput-messages-per-second=100\n`,
  }));
  try {
    const page = await newPage(browser);
    await exposeInputChannel(page);
    await page.goto(daemon.url);
    await page.waitForFunction(() => window.kvmrtcHid?.readyState === 'open');
    await measureFrames(page, 500);
    // Two seconds of key A pressed and released, 1000 messages a second, then one release.
    const flooding = page.evaluate(() => new Promise((done) => {
      let sent = 0;
      const timer = setInterval(() => {
        for (let i = 0; i < 10; i += 1, sent += 1) {
          window.kvmrtcHid.send(JSON.stringify({ t: 'key', code: 'KeyA', down: sent % 2 === 0 }));
        }
        if (sent >= 2000) {
          clearInterval(timer);
          window.kvmrtcHid.send(JSON.stringify({ t: 'key', code: 'KeyA', down: false }));
          done(sent);
        }
      }, 10);
    }));
    const frames = await measureFrames(page, 1800);
    await flooding;
    console.log(`during the flood: ${frames.fps.toFixed(1)} fps`);
    assert.ok(frames.fps > 20, `${frames.fps} fps while a page floods the input channel`);
    await daemon.waitForLog(/over 100 input messages a second; presses and moves are dropped/);
    const errors = await page.evaluate(() => window.kvmrtcHidErrors);
    assert.ok(errors.length >= 1 && errors.length <= 3, JSON.stringify(errors));
    assert.equal(errors[0].code, 'rate-limited');
    // Every press that got through was released: the last report holds no key.
    const reports = await keyboard.waitFor((all) => all.length > 0, 'keyboard reports');
    const presses = reports.filter((report) => report[2] === 0x04).length;
    console.log(`keyboard reports: ${reports.length}, presses among them ${presses} of 1000 sent`);
    assert.ok(presses <= 2 * 100 + 100, `${presses} presses passed a limit of 100 a second`);
    await keyboard.waitFor((all) => all.at(-1).every((byte) => byte === 0), 'every key released');
    await page.close();
  } finally {
    await daemon.stop();
    keyboard.close();
  }
});

test('a message over message-bytes, and candidates over ice-candidates, are refused by name',
  async () => {
    const daemon = await Daemon.start(testConfig({
      video: { width: 320, height: 180 },
      extra: '[limits]\nmessage-bytes=4096\nice-candidates=4\n',
    }));
    try {
      const page = await blankPage(daemon);
      const errors = await page.evaluate(() => new Promise((done) => {
        const socket = new WebSocket(`ws://${location.host}/api/ws`);
        const seen = [];
        socket.onmessage = async ({ data }) => {
          const message = JSON.parse(data);
          if (message.type === 'error') {
            seen.push(message);
            if (seen.length === 2) done(seen);
          }
          if (message.type !== 'offer') return;
          socket.send(JSON.stringify({ type: 'pong', padding: 'x'.repeat(5000) }));
          const peer = new RTCPeerConnection();
          await peer.setRemoteDescription({ type: 'offer', sdp: message.sdp });
          const answer = await peer.createAnswer();
          await peer.setLocalDescription(answer);
          socket.send(JSON.stringify({ type: 'answer', sdp: answer.sdp }));
          for (let port = 40000; port < 40006; port += 1) {
            socket.send(JSON.stringify({
              type: 'ice', sdpMLineIndex: 0,
              candidate: `candidate:${port} 1 udp 2122260223 127.0.0.1 ${port} typ host`,
            }));
          }
        };
      }));
      assert.equal(errors[0].code, 'too-large');
      assert.match(errors[0].message, /exceeds the limit of 4096/);
      assert.equal(errors[1].code, 'too-many-candidates');
      assert.match(errors[1].message, /more than 4 ICE candidates \(\[limits\] ice-candidates\)/);
      assert.equal((await daemon.status()).viewers, 1);
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('a flood of bad messages writes a few log lines a second, then says how many it left out',
  async () => {
    const LINES_PER_SECOND = 2;
    const FLOOD = 200;
    const daemon = await Daemon.start(testConfig({
      video: { width: 320, height: 180 },
      extra: `[limits]\nlog-lines-per-second=${LINES_PER_SECOND}\n`,
    }));
    try {
      const page = await blankPage(daemon);
      const floodMs = await page.evaluate((count) => new Promise((done) => {
        const socket = new WebSocket(`ws://${location.host}/api/ws`);
        // Resolves when the daemon has answered one more bad message.
        window.kvmrtcPoke = () => new Promise((answered) => {
          socket.addEventListener('message', answered, { once: true });
          socket.send('not json');
        });
        let answered = 0;
        let start;
        socket.onmessage = ({ data }) => {
          if (JSON.parse(data).type === 'error' && (answered += 1) === count) {
            socket.onmessage = null;
            done(performance.now() - start);
          }
        };
        socket.onopen = () => {
          start = performance.now();
          for (let i = 0; i < count; i += 1) socket.send('not json');
        };
      }), FLOOD);
      const rejectedLines = () =>
        (daemon.log.match(/rejected a message \(bad-json\)/g) ?? []).length;
      const leftOut = () =>
        [...daemon.log.matchAll(/(\d+) more lines about rejected messages were left out/g)]
        .reduce((sum, [, count]) => sum + Number(count), 0);
      // A second's worth at once, then the rate, over however long this machine took.
      const allowed = LINES_PER_SECOND * (2 + Math.ceil(floodMs / 1000));
      assert.ok(rejectedLines() <= allowed,
        `${rejectedLines()} lines for ${FLOOD} bad messages in ${floodMs.toFixed(0)} ms`);
      // One more bad message now and then: once the bucket has room, its line comes after the
      // count of the lines left out, so in the end every message is a line or in a count.
      let pokes = 0;
      while (rejectedLines() + leftOut() < FLOOD + pokes && pokes < 50) {
        await page.evaluate(() => window.kvmrtcPoke());
        pokes += 1;
        await new Promise((resolve) => setTimeout(resolve, 1000 / LINES_PER_SECOND / 2));
      }
      assert.equal(rejectedLines() + leftOut(), FLOOD + pokes);
      assert.ok(leftOut() >= FLOOD - allowed, `${leftOut()} left out`);
      await page.close();
    } finally {
      await daemon.stop();
    }
  });

test('idle connections: an address holds a few that have not logged in, each for a while;'
  + ' a page from another address plays on', async () => {
  const daemon = await Daemon.start(testConfig({
    video: { width: 320, height: 180 },
    extra: '[limits]\npending-connections-per-address=8\npending-connection-seconds=2\n',
  }));
  try {
    const page = await openViewer(browser, daemon.url);
    const { port } = new URL(daemon.url);
    // Twelve connections that never send a byte, as a client using up file descriptors would,
    // from an address of their own (all of 127.0.0.0/8 is loopback).
    const start = performance.now();
    const closedAfterMs = await Promise.all(Array.from({ length: 12 }, () => new Promise((done) => {
      const socket = connect({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.2' });
      socket.on('error', () => {});
      socket.on('close', () => done(performance.now() - start));
    })));
    closedAfterMs.sort((a, b) => a - b);
    console.log(`idle connections closed after ${closedAfterMs.map((ms) => ms.toFixed(0))} ms`);
    // The four over the limit before any deadline, the eight within it at their deadline. "At
    // once" is not asked: a SYN the kernel drops comes again a second later (seen under load
    // while the listening queue was GLib's 10: 47, 52, 52, 1015 ms; it is 128 now).
    assert.ok(closedAfterMs[3] < 1900, closedAfterMs.join(' '));
    assert.ok(closedAfterMs[4] >= 1900 && closedAfterMs[11] < 4000, closedAfterMs.join(' '));
    await daemon.waitForLog(new RegExp('from 127\\.0\\.0\\.2: it already holds 8 that have not'
      + ' logged in \\(\\[limits\\] pending-connections-per-address\\)'));
    await daemon.waitForLog(
      /2 s without a request that logged in \(\[limits\] pending-connection-seconds\)/);
    // The page's address was not limited: its picture played on.
    assert.ok((await measureFrames(page, 1000)).fps > 15);
    assert.equal((await daemon.status()).viewers, 1);
    await page.close();
  } finally {
    await daemon.stop();
  }
});
