// The browsers the end-to-end tests drive, set up for WebRTC over loopback only:
// - Debian's headless Chromium, through playwright-core (the default);
// - Debian's Firefox ESR, through puppeteer-core over WebDriver BiDi (KVMRTC_BROWSER=firefox;
//   Playwright cannot drive a stock Firefox).
// Test bodies shared by both browsers use the helpers below where the two drivers differ.
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

export const browserName = process.env.KVMRTC_BROWSER ?? 'chromium';

const chromiumFlags = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

// In a namespace with only loopback, Firefox gathers ICE candidates only for a page that holds
// camera permission and is allowed more than its default address; real networks need neither.
const firefoxPrefs = {
  'permissions.default.camera': 1,
  'media.peerconnection.ice.default_address_only': false,
  'media.peerconnection.ice.loopback': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'browser.shell.checkDefaultBrowser': false,
  'app.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

// What Debian's Firefox needs to decode H.264 through the system's FFmpeg instead of the
// OpenH264 plugin it does not ship.
export const firefoxH264Prefs = {
  'media.webrtc.hw.h264.enabled': true,
  'gfx.blacklist.webrtc.hw.acceleration.h264': 1,
};

// `firefoxExtraPrefs`: more Firefox prefs (e.g. firefoxH264Prefs); ignored for Chromium.
// `ignoreCertificateErrors`: accept any TLS certificate (a daemon's self-signed one), for
// pages, fetches and WebSockets alike.
export async function launchBrowser({ firefoxExtraPrefs = {}, ignoreCertificateErrors = false } = {}) {
  if (browserName === 'firefox') {
    return puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
      headless: true,
      acceptInsecureCerts: ignoreCertificateErrors,
      extraPrefsFirefox: { ...firefoxPrefs, ...firefoxExtraPrefs },
    });
  }
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ignoreCertificateErrors ? [...chromiumFlags, '--ignore-certificate-errors'] : chromiumFlags,
  });
}

const isPuppeteer = () => browserName === 'firefox';

export async function newPage(browser, { width = 1280, height = 720 } = {}) {
  if (!isPuppeteer()) return browser.newPage({ viewport: { width, height } });
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  return page;
}

// Opens the daemon's page and waits until <kvm-video> says `state`.
export async function openViewer(browser, url, { state = 'live', width, height } = {}) {
  const page = await newPage(browser, { width, height });
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.goto(url);
  await waitForState(page, state);
  return page;
}

// Before the page's own script runs: the input data channel the daemon opens to it is kept as
// window.kvmrtcHid, for a test to send on it directly, and the error messages that come back on it
// in window.kvmrtcHidErrors.
export async function exposeInputChannel(page) {
  const script = () => {
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('datachannel', ({ channel }) => {
          window.kvmrtcHid = channel;
          window.kvmrtcHidErrors = [];
          channel.addEventListener('message', ({ data }) => {
            const message = JSON.parse(data);
            if (message.t === 'error') window.kvmrtcHidErrors.push(message);
          });
        });
      }
    };
  };
  if (isPuppeteer()) await page.evaluateOnNewDocument(script);
  else await page.addInitScript(script);
}

// Resolves when `predicate(arg)` is true in the page.
export async function waitForFunction(page, predicate, arg, { timeout = 20000 } = {}) {
  if (isPuppeteer()) return page.waitForFunction(predicate, { timeout }, arg);
  return page.waitForFunction(predicate, arg, { timeout });
}

export async function waitForState(page, state, timeout = 20000) {
  await waitForFunction(page,
    (wanted) => document.querySelector('kvm-video')?.getAttribute('state') === wanted,
    state, { timeout });
}

// A selector whose spaces step into open shadow roots as well as into children: Playwright's
// CSS does that by itself, Puppeteer needs its deep combinator.
function deep(selector) {
  return isPuppeteer() ? selector.trim().split(/\s+(?![^[]*\])/).join(' >>> ') : selector;
}

export async function click(page, selector) {
  if (isPuppeteer()) return page.locator(deep(selector)).click();
  return page.locator(selector).click();
}

export async function fill(page, selector, text) {
  if (isPuppeteer()) return page.locator(deep(selector)).fill(text);
  return page.locator(selector).fill(text);
}

export async function selectOption(page, selector, value) {
  if (isPuppeteer()) return page.select(deep(selector), value);
  return page.locator(selector).selectOption(value);
}

export async function boundingBox(page, selector) {
  if (isPuppeteer()) return (await page.$(deep(selector))).boundingBox();
  return page.locator(selector).boundingBox();
}

// Waits until the element's text matches `pattern` (a RegExp or a string it must contain).
export async function waitForText(page, selector, pattern) {
  const wanted = pattern instanceof RegExp ? { source: pattern.source, flags: pattern.flags }
    : { source: pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags: '' };
  if (!isPuppeteer()) {
    return page.locator(selector).filter({ hasText: new RegExp(wanted.source, wanted.flags) })
      .waitFor();
  }
  const element = await page.waitForSelector(deep(selector));
  return page.waitForFunction((node, { source, flags }) =>
    new RegExp(source, flags).test(node.textContent), { timeout: 20000 }, element, wanted);
}

// Presses the key at `code` (a KeyboardEvent code); Puppeteer names the space bar by its key.
export async function pressKey(page, code) {
  return page.keyboard.press(isPuppeteer() && code === 'Space' ? ' ' : code);
}

// Scrolls with the pointer at (x, y): Puppeteer over BiDi scrolls at the top left corner
// unless the pointer is moved first, whatever the last click was.
export async function wheel(page, { x, y }, deltaX, deltaY) {
  await page.mouse.move(x, y);
  if (isPuppeteer()) return page.mouse.wheel({ deltaX, deltaY });
  return page.mouse.wheel(deltaX, deltaY);
}

// Counts frames presented by the page's <video> during `ms` (requestVideoFrameCallback).
export async function measureFrames(page, ms) {
  return page.evaluate((duration) => new Promise((done) => {
    const started = performance.now();
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
      firstFrameMs: first ? first.at - started : null,
      width: video.videoWidth,
      height: video.videoHeight,
    }), duration);
  }), ms);
}
