// Debian's headless Chromium, driven by playwright-core, set up for WebRTC over loopback only.
import { chromium } from 'playwright-core';

const flags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: flags,
  });
}

// Opens the daemon's page and waits until <kvm-video> says `state`.
export async function openViewer(browser, url, { state = 'live', width = 1280, height = 720 } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(url);
  await waitForState(page, state);
  return page;
}

export async function waitForState(page, state, timeout = 20000) {
  await page.waitForFunction(
    (wanted) => document.querySelector('kvm-video')?.getAttribute('state') === wanted,
    state, { timeout });
}

// Counts frames presented by the page's <video> during `ms` (requestVideoFrameCallback).
export async function measureFrames(page, ms) {
  return page.evaluate((duration) => new Promise((done) => {
    const video = document.querySelector('kvm-video').shadowRoot.querySelector('video');
    let frames = 0;
    let first;
    let last;
    const onFrame = (now, meta) => {
      first ??= { frames: meta.presentedFrames, at: now };
      last = { frames: meta.presentedFrames, at: now };
      frames += 1;
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    // The rate between the first and the last frame seen: the window's edges fall between
    // frames, and dividing by the nominal window would count that gap as missing frames.
    setTimeout(() => done({
      callbacks: frames,
      presented: last ? last.frames - first.frames : 0,
      fps: last && last.at > first.at ? (last.frames - first.frames) / ((last.at - first.at) / 1000) : 0,
      width: video.videoWidth,
      height: video.videoHeight,
    }), duration);
  }), ms);
}
