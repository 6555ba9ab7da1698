// <kvm-stats>: a small panel over the corner of the screen with the figures behind the status
// bar: the latency of the frames on screen (now, and average and worst of the last 2 s), where
// it goes (capture → received; jitter buffer and decode per frame), how much arrives (frame rate,
// bitrate, resolution) and what got lost. docs/latency-meter.md explains how to read it.
//
// Hidden by default; whether it is open is remembered in this browser. It does its work (a
// getStats once a second, a redraw four times a second) only while open.
//
// Attributes:
//   for      id of the <kvm-video> to follow; without it, the first <kvm-video> in the document
//   hidden   closed
// Properties: open (the opposite of hidden, and remembered)
// Values are in elements with data-stat: latency-now, latency-mean, latency-max, receive,
//   clock, fps, bitrate, resolution, jitter-buffer, decode, dropped, lost, encoder, codec.

import { inboundRates } from '../lib/inbound-rates.js';
import { RollingWindow } from '../lib/rolling-window.js';

const WINDOW_MS = 2000;
const RENDER_INTERVAL_MS = 250;
const POLL_INTERVAL_MS = 1000;
// A reading this old no longer describes the frame on screen.
const FRESH_MS = 1000;
const STORAGE_KEY = 'kvmrtc.stats-open';

// The panel lets the pointer through (see :host), so no tooltips: the labels say it all.
const ROWS = [
  ['receive', 'Capture → received'],
  ['clock', 'Clock offset'],
  ['fps', 'Frame rate'],
  ['bitrate', 'Bitrate'],
  ['resolution', 'Resolution'],
  ['jitter-buffer', 'Jitter buffer'],
  ['decode', 'Decode'],
  ['dropped', 'Frames dropped'],
  ['lost', 'Packets lost'],
  ['encoder', 'Encoder'],
  ['codec', 'Codec'],
];

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      display: block;
      box-sizing: border-box;
      width: 264px;
      padding: 10px 12px 11px;
      border: 1px solid #2c2f33;
      border-radius: 8px;
      background: rgb(28 30 33 / 0.9);
      color: #a9aeb4;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
      line-height: 1.35;
      /* The screen under it stays the target's: clicks and the pointer go through, and a
         panel over the corner never hides the target's buttons there from the mouse. */
      pointer-events: none;
      user-select: none;
      -webkit-user-select: none;
    }
    :host([hidden]) {
      display: none;
    }
    h2 {
      margin: 0 0 6px;
      color: #7d838a;
      font-size: 11px;
      font-weight: 500;
      letter-spacing: 0.06em;
      text-transform: uppercase;
    }
    .latency {
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      margin-bottom: 8px;
      padding-bottom: 8px;
      border-bottom: 1px solid #34383d;
      text-align: center;
    }
    .big {
      color: #e4e6e9;
      font-size: 20px;
      font-weight: 600;
    }
    .unit {
      margin-left: 2px;
      color: #7d838a;
      font-size: 11px;
      font-weight: 400;
    }
    .caption {
      color: #7d838a;
      font-size: 11px;
    }
    .latency[hidden] {
      display: none;
    }
    .latency-note {
      margin: 0 0 8px;
      color: #c9cdd2;
      font-size: 12px;
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 2px 12px;
      margin: 0;
    }
    dt {
      color: #8d939a;
    }
    dd {
      margin: 0;
      color: #e4e6e9;
      text-align: right;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
  </style>
  <h2>Latency, capture → display</h2>
  <div class="latency">
    ${[['now', 'now'], ['mean', 'avg 2 s'], ['max', 'max 2 s']].map(([stat, caption]) => `<div>
      <span class="big" data-stat="latency-${stat}">—</span><span class="unit">ms</span>
      <div class="caption">${caption}</div></div>`).join('')}
  </div>
  <p class="latency-note" hidden>Not available in this browser: it does not give the capture time of
    each frame (Chromium does).</p>
  <dl>
    ${ROWS.map(([stat, label]) => `<dt>${label}</dt><dd data-stat="${stat}">—</dd>`).join('')}
  </dl>
`;

export class KvmStats extends HTMLElement {
  static observedAttributes = ['hidden'];

  #root;
  #video = null;
  #latencies = new RollingWindow(WINDOW_MS);
  #latest = null; // the video's last `latency` detail
  #latestAt = 0;
  #renderTimer = 0;
  #pollTimer = 0;
  #running = false;
  #report = null; // the previous inbound-rtp report
  #rates = null;
  #restored = false;
  #onLatency = (event) => {
    const now = performance.now();
    this.#latest = event.detail;
    this.#latestAt = now;
    this.#latencies.add(now, event.detail.latencyMs);
  };

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.append(template.content.cloneNode(true));
  }

  get open() {
    return !this.hidden;
  }

  set open(open) {
    this.hidden = !open;
    saveOpen(open);
  }

  connectedCallback() {
    const id = this.getAttribute('for');
    this.#video = id ? document.getElementById(id) : document.querySelector('kvm-video');
    if (!this.#video) console.warn('kvmrtc: <kvm-stats> found no <kvm-video> to follow');
    if (!this.#restored) {
      this.#restored = true;
      this.setAttribute('role', 'region');
      this.setAttribute('aria-label', 'Stream statistics');
      this.hidden = !loadOpen();
    }
    this.#sync();
  }

  disconnectedCallback() {
    this.#stop();
    this.#video = null;
  }

  attributeChangedCallback() {
    this.#sync();
  }

  #sync() {
    if (this.isConnected && this.#video && !this.hidden) this.#start();
    else this.#stop();
  }

  #start() {
    if (this.#running) return;
    this.#running = true;
    this.#video.addEventListener('latency', this.#onLatency);
    this.#renderTimer = setInterval(() => this.#render(), RENDER_INTERVAL_MS);
    this.#pollTimer = setInterval(() => this.#poll(), POLL_INTERVAL_MS);
    this.#poll();
    this.#render();
  }

  #stop() {
    if (!this.#running) return;
    this.#running = false;
    this.#video.removeEventListener('latency', this.#onLatency);
    clearInterval(this.#renderTimer);
    clearInterval(this.#pollTimer);
    // Figures from before a pause would pass for current ones when the panel opens again.
    this.#latencies.clear();
    this.#latest = null;
    this.#report = null;
    this.#rates = null;
  }

  async #poll() {
    const report = await this.#video.receiverStats().catch(() => null);
    if (!this.#running) return;
    // Another session's counters started again from zero: no rates across the two.
    const previous = this.#report?.id === report?.id ? this.#report : null;
    this.#rates = report && previous ? inboundRates(previous, report) : null;
    this.#report = report;
  }

  #render() {
    const video = this.#video;
    const now = performance.now();
    const live = video.state === 'live';
    const recent = live ? this.#latencies.summary(now) : null;
    const latest = live && this.#latest && now - this.#latestAt < FRESH_MS ? this.#latest : null;
    const clock = video.clock;
    const report = this.#report;
    const rates = this.#rates;
    const unavailable = live && video.latencyAvailable === false;
    this.#root.querySelector('.latency').hidden = unavailable;
    this.#root.querySelector('.latency-note').hidden = !unavailable;
    this.#set('latency-now', latest && whole(latest.latencyMs));
    this.#set('latency-mean', recent && whole(recent.mean));
    this.#set('latency-max', recent && whole(recent.max));
    this.#set('receive', latest?.receiveMs != null && `${whole(latest.receiveMs)} ms`);
    this.#set('clock', clock && `${signed(clock.offsetMs)} ± ${clock.errorMs.toFixed(1)} ms`);
    this.#set('fps', live && `${video.fps.toFixed(1)} fps`);
    this.#set('bitrate', rates?.kbps != null && `${whole(rates.kbps)} kbit/s`);
    this.#set('resolution', video.videoWidth > 0 && `${video.videoWidth}×${video.videoHeight}`);
    this.#set('jitter-buffer', rates?.jitterBufferMs != null && `${rates.jitterBufferMs.toFixed(1)} ms/frame`);
    this.#set('decode', rates?.decodeMs != null && `${rates.decodeMs.toFixed(1)} ms/frame`);
    this.#set('dropped', report && whole(report.framesDropped ?? 0));
    this.#set('lost', report && whole(report.packetsLost ?? 0));
    this.#set('encoder', video.encoder);
    const scaled = video.videoHeight > 0 && video.videoHeight < video.sourceHeight;
    this.#set('codec', scaled
      ? `${video.codec}, scaled from ${video.sourceWidth}×${video.sourceHeight} to spare the device`
      : video.codec);
  }

  /** Shows `text`, or a dash for a figure not known (any falsy value). */
  #set(stat, text) {
    const element = this.#root.querySelector(`[data-stat="${stat}"]`);
    const shown = text || '—';
    if (element.textContent !== shown) element.textContent = shown;
  }
}

function whole(value) {
  return Math.round(value).toLocaleString('en-US');
}

// Tenths matter for an offset between clocks that agree, not for one of minutes.
function signed(ms) {
  const size = Math.abs(ms);
  return `${ms < 0 ? '−' : '+'}${size < 1000 ? size.toFixed(1) : whole(size)}`;
}

function loadOpen() {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    // Storage can be off (private mode, policies): closed, the default.
    return false;
  }
}

function saveOpen(open) {
  try {
    localStorage.setItem(STORAGE_KEY, String(open));
  } catch {
    // Not remembered, then; it still holds for this page.
  }
}

customElements.define('kvm-stats', KvmStats);
