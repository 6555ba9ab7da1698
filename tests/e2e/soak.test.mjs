// Churn soak: viewers come and go, a fifth of them as a broken or hostile client would (page
// crashed, socket dropped before answering, answer never sent, ICE that never completes), while
// one steady page watches. The daemon never stops sending the steady viewer frames for a
// second, and ends with the threads, files, memory and pipelines it had. SOAK_CYCLES sets the cycles (default 60
// in the suite; the long form is SOAK_CYCLES=500).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, newPage, openViewer } from './lib/browser.mjs';
import { processUsage, settledUsage } from './lib/process-usage.mjs';

const CYCLES = Number(process.env.SOAK_CYCLES ?? 60);
const WARM_UP = 10;

// The daemon's side of one viewer: every 100 ms its frames handed over (/metrics), and the
// longest time that count stood still. The page's own frame times also depend on its browser
// getting the CPU, on two cores where another browser is launching and crashing pages.
function watchFramesSent(daemon, viewer) {
  const pattern = new RegExp(`^kvmrtc_viewer_frames_sent_total\\{viewer="${viewer}"\\} (\\d+)$`, 'm');
  const watch = { longestStill: 0, last: -1, since: Date.now() };
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    const text = await (await fetch(new URL('/metrics', daemon.url))).text();
    busy = false;
    const sent = Number(text.match(pattern)?.[1] ?? -1);
    const now = Date.now();
    if (sent !== watch.last) {
      watch.last = sent;
      watch.since = now;
    }
    watch.longestStill = Math.max(watch.longestStill, now - watch.since);
  }, 100);
  watch.stop = () => clearInterval(timer);
  return watch;
}

// In a page of the daemon's origin: a signaling socket that gets its offer and then misbehaves
// as `how` says; resolves once it has.
function misbehave(page, how) {
  return page.evaluate((kind) => new Promise((done, fail) => {
    const socket = new WebSocket(`ws://${location.host}/api/ws`);
    const timer = setTimeout(() => fail(new Error(`${kind}: no offer in 10 s`)), 10000);
    socket.onmessage = async ({ data }) => {
      const message = JSON.parse(data);
      if (message.type !== 'offer') return;
      clearTimeout(timer);
      if (kind === 'drop-before-answer') {
        socket.close();
        done();
        return;
      }
      if (kind === 'never-answer') {
        // Left open with no answer: the daemon must not wait on it for anything shared.
        window.kvmrtcLeftOpen = [...(window.kvmrtcLeftOpen ?? []), socket];
        done();
        return;
      }
      // ICE that cannot complete: the answer's credentials are not the ones the browser uses.
      const peer = new RTCPeerConnection();
      window.kvmrtcBroken = [...(window.kvmrtcBroken ?? []), peer];
      await peer.setRemoteDescription({ type: 'offer', sdp: message.sdp });
      const answer = await peer.createAnswer();
      await peer.setLocalDescription(answer);
      const wrong = answer.sdp.replace(/a=ice-ufrag:.*/g, 'a=ice-ufrag:nope')
        .replace(/a=ice-pwd:.*/g, 'a=ice-pwd:nonenonenonenonenonenone');
      socket.send(JSON.stringify({ type: 'answer', sdp: wrong }));
      done();
    };
  }), how);
}

test(`${CYCLES} viewer cycles, some abrupt, beside a steady viewer`, async () => {
  // The steady viewer has a browser of its own: in the churning one, each new page would take
  // the focus from it, and Chromium paces a page in the background.
  const steadyBrowser = await launchBrowser();
  const browser = await launchBrowser();
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360, framerate: 30 } }), {
    env: Daemon.leaksTracerEnv('GstPromise,GstWebRTCBin'),
  });
  try {
    const steady = await openViewer(steadyBrowser, daemon.url);
    await steady.evaluate(() => {
      const video = document.querySelector('kvm-video').shadowRoot.querySelector('video');
      window.kvmrtcLongestGap = 0;
      let last;
      const onFrame = (now) => {
        if (last !== undefined) window.kvmrtcLongestGap = Math.max(window.kvmrtcLongestGap, now - last);
        last = now;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    });
    const scripts = await newPage(browser);
    await scripts.goto(new URL('/healthz', daemon.url).href);
    const kinds = { page: 0, crash: 0, 'drop-before-answer': 0, 'never-answer': 0, 'ice-fails': 0 };
    const cycle = async (i) => {
      const kind = ['page', 'crash', 'drop-before-answer', 'never-answer', 'page', 'ice-fails',
        'page', 'page', 'page', 'page'][i % 10];
      kinds[kind] += 1;
      if (kind === 'page' || kind === 'crash') {
        const page = await openViewer(browser, daemon.url);
        // The renderer dies with the page's sockets and peer connection open.
        if (kind === 'crash') await page.goto('chrome://crash').catch(() => {});
        await page.close();
      } else {
        await misbehave(scripts, kind);
      }
      // The misbehaving ones stay for now; their viewers end when their sockets do.
      if (kind === 'never-answer' || kind === 'ice-fails') {
        await scripts.evaluate(() => {
          for (const socket of window.kvmrtcLeftOpen ?? []) socket.close();
          for (const peer of window.kvmrtcBroken ?? []) peer.close();
          window.kvmrtcLeftOpen = [];
          window.kvmrtcBroken = [];
        });
        await scripts.reload();  // drops the sockets of the ICE that never completed
      }
      await daemon.waitForStatus((status) => status.viewers === 1, { what: `cycle ${i} (${kind}) freed` });
      if (process.env.SOAK_TRACE) {
        const gap = await steady.evaluate(() => window.kvmrtcLongestGap);
        console.log(`cycle ${i}: ${kind}, steady's longest wait so far ${gap.toFixed(0)} ms`);
      }
    };
    for (let i = 0; i < WARM_UP; i += 1) await cycle(i);
    await steady.evaluate(() => { window.kvmrtcLongestGap = 0; });
    const metrics = await (await fetch(new URL('/metrics', daemon.url))).text();
    const steadyId = metrics.match(/^kvmrtc_viewer_frames_sent_total\{viewer="(\d+)"\}/m)[1];
    const sent = watchFramesSent(daemon, steadyId);
    const start = processUsage(daemon.child.pid);
    const began = Date.now();
    for (let i = 0; i < CYCLES; i += 1) await cycle(i);
    const seconds = (Date.now() - began) / 1000;
    sent.stop();
    const longestGap = await steady.evaluate(() => window.kvmrtcLongestGap);

    const end = await settledUsage(daemon.child.pid, start);
    const webrtcbins = await daemon.countLiveObjects('GstWebRTCBin');
    const promises = await daemon.countLiveObjects('GstPromise');
    console.log(`${CYCLES} cycles in ${seconds.toFixed(0)} s (${JSON.stringify(kinds)} with the warm-up); ` +
      `steady viewer: frames sent never still over ${sent.longestStill} ms, longest wait between ` +
      `frames shown ${longestGap.toFixed(0)} ms; ` +
      `before ${JSON.stringify(start)}, after ${JSON.stringify(end)}; webrtcbins alive in two listings: ${webrtcbins}, ` +
      `promises: ${promises}`);
    assert.ok(sent.longestStill < 1000, `the daemon sent the steady viewer nothing for ${sent.longestStill} ms`);
    // What the page showed: a stall of the daemon's would show here too, and much longer.
    assert.ok(longestGap < 3000, `the steady page showed nothing for ${longestGap} ms`);
    assert.ok(end.threads <= start.threads + 2, `threads ${start.threads} → ${end.threads}`);
    assert.ok(end.fds <= start.fds + 2, `open files ${start.fds} → ${end.fds}`);
    // Measured here: +16 to +632 KiB after 60 cycles, +432 KiB after 500. A leak of one GstPromise
    // a viewer adds no more than that noise after 60 (+444 KiB, tried), so the promises are
    // counted too; past 500 cycles, 3 MiB also fails anything of 6 KB a viewer.
    assert.ok(end.rssKiB - start.rssKiB < 3 * 1024, `RSS ${start.rssKiB} → ${end.rssKiB} KiB`);
    assert.ok(promises < CYCLES / 2, `${promises} GstPromise objects alive after ${CYCLES} cycles`);
    // The steady viewer's, once in each listing: no other viewer pipeline is left.
    assert.equal(webrtcbins, 2);
    await steady.close();
    await scripts.close();
  } finally {
    await browser.close();
    await steadyBrowser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log.slice(-4000));
  }
});
