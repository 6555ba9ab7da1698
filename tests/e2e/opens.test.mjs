// Pages opened one after another while a steady viewer plays: every one goes live on its first
// negotiation, and the daemon's safety nets for a stuck viewer (the send watch, the negotiation
// deadline) never fire. Until the fanout waited for each viewer's base time, about 1 open in
// 150 stayed black until the send watch closed it (media/frame_fanout.cpp). OPENS=1000 is the
// long form (about 30 minutes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import { launchBrowser, openViewer, waitForState } from './lib/browser.mjs';
import { trackedPage } from './lib/users.mjs';

const OPENS = Number(process.env.OPENS ?? 100);
// What the daemon says when it gives up on a viewer that never started playing.
const STUCK_VIEWER = /closed \([^)]*\): (webrtcbin sends nothing|the browser did not connect)/g;

test(`${OPENS} pages in a row each go live on their first negotiation`, async () => {
  const browser = await launchBrowser();
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  try {
    const steady = await openViewer(browser, daemon.url);
    const toLive = [];
    for (let open = 0; open < OPENS; open += 1) {
      const page = await trackedPage(browser);
      const started = Date.now();
      await page.goto(daemon.url);
      await waitForState(page, 'live');
      toLive.push(Date.now() - started);
      assert.deepEqual(page.socketCloses, [], `open ${open}: the page started over`);
      await page.close();
      await daemon.waitForStatus((s) => s.viewers === 1, { what: `open ${open}: viewer freed` });
    }
    toLive.sort((a, b) => a - b);
    const at = (share) => toLive[Math.min(toLive.length - 1, Math.floor(toLive.length * share))];
    console.log(`${OPENS} opens, navigation to live: median ${at(0.5)} ms, p99 ${at(0.99)} ms, `
      + `max ${toLive.at(-1)} ms`);
    assert.deepEqual(daemon.log.match(STUCK_VIEWER) ?? [], [], 'viewers the daemon gave up on');
    await steady.close();
  } finally {
    await browser.close();
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
