// <kvm-video>: the target's screen. Connects to the daemon, plays its WebRTC video and keeps
// reconnecting until closed. It is also the target's keyboard and mouse: while it has focus,
// keys go to the target, and the pointer over it moves the target's mouse. When the login
// session ends it shows the login page instead of reconnecting (lib/session.js).
//
// Attributes:
//   view-only  set by the page: only watch, for a viewer's session: no key, pointer or other
//              message goes out on the "hid" channel, and keyboard and pointer are left to the
//              page; the daemon's hid messages (LEDs, device state) still arrive
// Set by the element, for styles and tests:
//   state   connecting | live | no-signal | unsupported (this browser cannot play the video;
//           keyboard and mouse work) | reconnecting | reconfiguring (the daemon rebuilds its
//           pipeline for new settings; the connection stays)
// Properties: video, state, message, fps, videoWidth, videoHeight, sourceWidth, sourceHeight
//   (the daemon's stream; VP8 may be scaled down from it), encoder, codec, iceServers,
//   hid (the HidLink every input component sends through), relativeMouse,
//   viewOnly (the view-only attribute),
//   latency (the last `latency` event's detail, null when the session has none yet),
//   latencyAvailable (false in a browser that gives no capture times, e.g. Firefox),
//   clock (the daemon's clock against this page's: { offsetMs, errorMs, roundTripMs } or null)
// Methods: setRelativeMouse(on) (call it from a user gesture: it asks for pointer lock; does
//   nothing while view-only),
//   receiverStats() (resolves to the video's inbound-rtp stats report, or null)
// Events:
//   statechange      detail: { state, message }
//   stats            detail: { fps, width, height, encoder }, about once a second
//   latency          detail: { rtpTimestamp, latencyMs, receiveMs } for each displayed frame
//                    whose capture time is known: capture → shown, and capture →
//                    its last packet received (ms, this page's clock; see docs/latency-meter.md)
//   mousemodechange  detail: { relative }

import { Backoff } from '../lib/backoff.js';
import { FrameLatency } from '../lib/frame-latency.js';
import { FrameMeter } from '../lib/frame-meter.js';
import { HidLink } from '../lib/hid-link.js';
import { KeyboardCapture } from '../lib/keyboard-capture.js';
import { PointerCapture } from '../lib/pointer-capture.js';
import { goToLogin, sessionEnded, sessionStillValid } from '../lib/session.js';
import { ViewerSession, signalingUrl } from '../lib/viewer-session.js';

// A healthy session shows its first frame within about a second.
const PICTURE_DEADLINE_MS = 8000;

const STATS_INTERVAL_MS = 1000;

const TITLES = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  'no-signal': 'No signal',
  reconfiguring: 'Applying new video settings…',
  unsupported: 'This browser cannot play the video',
  live: '',
};

// Why a browser declined the video, and what its user can do.
function unsupportedMessage(codec) {
  return `It has no ${codec} decoder, and kvmrtc offered no other codec. Keyboard, mouse and ` +
    `paste work. For the picture, use a browser that plays ${codec}, or let kvmrtc send VP8 ` +
    '([webrtc] codecs=h264,vp8 in its config).';
}

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      display: block;
      position: relative;
      overflow: hidden;
      background: #000;
      /* A focus ring would sit around the screen all the time it is in use; the hint below
         shows the other state, when keys do not reach the target. */
      outline: none;
      /* Touches are the target's taps and drags, not the page's pan and zoom. */
      touch-action: none;
      user-select: none;
      -webkit-user-select: none;
    }
    video {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: contain;
      background: #000;
    }
    .overlay {
      position: absolute;
      inset: 0;
      display: flex;
      align-items: center;
      justify-content: center;
      pointer-events: none;
      text-align: center;
    }
    :host([state="live"]) .overlay {
      display: none;
    }
    .card {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 0.35em;
      max-width: min(36em, 90%);
      padding: 0.6em 1.1em;
      border-radius: 8px;
      background: rgb(24 26 29 / 0.78);
      color: #d5d8dc;
      font-size: 14px;
    }
    .heading {
      display: flex;
      align-items: center;
      gap: 0.6em;
    }
    .title {
      margin: 0;
      font-weight: 500;
    }
    .detail {
      margin: 0;
      color: #8d939a;
      font-size: 12px;
    }
    .detail:empty {
      display: none;
    }
    .spinner {
      width: 0.9em;
      height: 0.9em;
      border: 2px solid #5b6168;
      border-top-color: #d5d8dc;
      border-radius: 50%;
      animation: spin 0.9s linear infinite;
    }
    @keyframes spin {
      to { transform: rotate(360deg); }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner { animation: none; }
    }
    /* Without a signal the last frame would look like a frozen but working screen. */
    :host([state="no-signal"]) video,
    :host([state="unsupported"]) video {
      visibility: hidden;
    }
    :host([state="no-signal"]) .card,
    :host([state="unsupported"]) .card {
      background: none;
      gap: 0.6em;
    }
    :host([state="no-signal"]) .spinner,
    :host([state="unsupported"]) .spinner {
      display: none;
    }
    :host([state="unsupported"]) .title {
      color: #e8eaed;
      font-size: clamp(20px, 3vw, 32px);
      font-weight: 600;
    }
    :host([state="unsupported"]) .detail {
      max-width: 40em;
    }
    :host([state="no-signal"]) .title {
      color: #e8eaed;
      font-size: clamp(28px, 5vw, 56px);
      font-weight: 600;
      letter-spacing: 0.02em;
    }
    :host([state="no-signal"]) .detail {
      font-size: clamp(13px, 1.6vw, 18px);
    }
    .hint {
      position: absolute;
      left: 50%;
      bottom: 14px;
      translate: -50% 0;
      padding: 0.35em 0.9em;
      border-radius: 999px;
      background: rgb(24 26 29 / 0.72);
      color: #c9cdd2;
      font-size: 12px;
      pointer-events: none;
      opacity: 0;
      transition: opacity 0.2s;
    }
    /* Keys typed now would go nowhere: say how to give them to the target. */
    :host([state="live"]:not(:focus)) .hint,
    :host([state="no-signal"]:not(:focus)) .hint,
    :host([state="unsupported"]:not(:focus)) .hint {
      opacity: 1;
    }
    /* Clicking gives the target nothing when the page only watches. */
    :host([view-only]) .hint {
      display: none;
    }
  </style>
  <video autoplay muted playsinline disablepictureinpicture></video>
  <div class="overlay" role="status" aria-live="polite">
    <div class="card">
      <div class="heading"><span class="spinner"></span><p class="title"></p></div>
      <p class="detail"></p>
    </div>
  </div>
  <div class="hint">Click to control</div>
`;

export class KvmVideo extends HTMLElement {
  static observedAttributes = ['view-only'];

  /** RTCIceServer list for the peer connection; none by default (same network). */
  iceServers = [];

  #video;
  #title;
  #detail;
  #meter;
  #frameLatency = new FrameLatency();
  #latency = null;
  #hid = new HidLink();
  #keyboard;
  #pointer;
  #capturing = false; // the keyboard and pointer captures are started
  #backoff = new Backoff();
  #session = null;
  #retryTimer = 0;
  #pictureTimer = 0;
  #statsTimer = 0;
  #daemon = null; // the current session's last state message
  #frameSeen = false; // a frame was presented since the daemon last left `live`
  #declinedCodec = ''; // the session's video this browser cannot decode, if any
  #dropReason = '';
  #state = '';
  #message = '';
  #fps = 0;
  // Explicit, as the pointer capture cancels mousedown (and so its focusing) for the target.
  #onPointerDown = () => this.focus({ preventScroll: true });

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    this.#video = root.querySelector('video');
    this.#title = root.querySelector('.title');
    this.#detail = root.querySelector('.detail');
    this.#meter = new FrameMeter(this.#video, (metadata) => this.#onFrame(metadata));
    this.#keyboard = new KeyboardCapture(this, this.#hid);
    this.#pointer = new PointerCapture(this, this.#video, this.#hid);
    this.#pointer.addEventListener('modechange', (event) => {
      this.dispatchEvent(new CustomEvent('mousemodechange', { detail: event.detail }));
    });
  }

  get video() {
    return this.#video;
  }

  get state() {
    return this.#state;
  }

  get message() {
    return this.#message;
  }

  get fps() {
    return this.#fps;
  }

  get videoWidth() {
    return this.#video.videoWidth;
  }

  get videoHeight() {
    return this.#video.videoHeight;
  }

  get encoder() {
    return this.#daemon?.encoder ?? '';
  }

  /** The stream's own size, as the daemon captures it; VP8 may come scaled down from it. */
  get sourceWidth() {
    return this.#daemon?.width ?? 0;
  }

  get sourceHeight() {
    return this.#daemon?.height ?? 0;
  }

  /** What this viewer's video is sent in: H264 or VP8 (empty before the daemon says). */
  get codec() {
    return this.#daemon?.codec ?? '';
  }

  get latency() {
    return this.#latency;
  }

  /** false when this browser does not give the capture times the latency needs; else null or true. */
  get latencyAvailable() {
    return this.#frameLatency.available;
  }

  get clock() {
    return this.#session?.clock ?? null;
  }

  get hid() {
    return this.#hid;
  }

  get relativeMouse() {
    return this.#pointer.relative;
  }

  setRelativeMouse(on) {
    if (this.viewOnly) return Promise.resolve();
    return this.#pointer.setRelative(on);
  }

  get viewOnly() {
    return this.hasAttribute('view-only');
  }

  set viewOnly(on) {
    this.toggleAttribute('view-only', Boolean(on));
  }

  attributeChangedCallback() {
    if (this.viewOnly) {
      // Stopping releases what the target holds: that message must still go out.
      this.#capture(false);
      this.#hid.viewOnly = true;
    } else {
      this.#hid.viewOnly = false;
      this.#capture(this.isConnected);
    }
  }

  async receiverStats() {
    const receiver = this.#session?.receiver;
    if (!receiver) return null;
    for (const report of (await receiver.getStats()).values()) {
      if (report.type === 'inbound-rtp' && report.kind === 'video') return report;
    }
    return null;
  }

  connectedCallback() {
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    this.addEventListener('pointerdown', this.#onPointerDown);
    this.#capture(!this.viewOnly);
    this.#meter.start();
    this.#statsTimer = setInterval(() => this.#reportStats(), STATS_INTERVAL_MS);
    this.#connect();
  }

  disconnectedCallback() {
    clearInterval(this.#statsTimer);
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#pictureTimer);
    this.#meter.stop();
    this.removeEventListener('pointerdown', this.#onPointerDown);
    this.#capture(false);
    const session = this.#session;
    this.#session = null;
    session?.close('Page closed');
    this.#resetMedia();
  }

  #capture(on) {
    if (on === this.#capturing) return;
    this.#capturing = on;
    if (on) {
      this.#keyboard.start();
      this.#pointer.start();
    } else {
      this.#keyboard.stop();
      this.#pointer.stop();
    }
  }

  #connect() {
    const session = new ViewerSession(signalingUrl(), { iceServers: this.iceServers });
    this.#session = session;
    session.addEventListener('state', (event) => this.#onDaemonState(event.detail));
    session.addEventListener('track', (event) => this.#attachStream(event.detail.stream));
    session.addEventListener('hid', (event) => this.#hid.attach(event.detail.channel));
    session.addEventListener('unsupported', (event) => {
      this.#declinedCodec = event.detail.codec;
      this.#update();
    });
    session.addEventListener('close', (event) => {
      if (session === this.#session) this.#onSessionClosed(event.detail);
    });
    // Whatever stage stalls (signaling, ICE, DTLS, the first keyframe), a session that shows no
    // picture this long while the daemon has one will not: start over rather than wait.
    clearTimeout(this.#pictureTimer);
    this.#pictureTimer = setTimeout(() => {
      if (session === this.#session && !this.#frameSeen && this.#daemon?.video !== 'no-signal' &&
          !this.#declinedCodec) {
        session.close('No picture arrived; starting over');
      }
    }, PICTURE_DEADLINE_MS);
    this.#update();
  }

  #onSessionClosed({ reason, code }) {
    this.#session = null;
    this.#dropReason = reason;
    this.#resetMedia();
    if (sessionEnded(code)) {
      goToLogin();
      return;
    }
    this.#retryTimer = setTimeout(() => this.#reconnect(), this.#backoff.next());
    this.#update();
  }

  async #reconnect() {
    // A socket refused for want of a login session fails like a daemon that is down.
    if (!(await sessionStillValid())) return;
    // The element may have left the page, or come back with a session of its own, meanwhile.
    if (this.isConnected && !this.#session) this.#connect();
  }

  #onDaemonState(state) {
    if (state.video !== 'live') this.#frameSeen = false;
    this.#daemon = state;
    this.#update();
  }

  #onFrame(metadata) {
    this.#measureLatency(metadata);
    if (this.#frameSeen) return;
    this.#frameSeen = true;
    this.#update();
  }

  #measureLatency(metadata) {
    const session = this.#session;
    const reading = this.#frameLatency.measure(
      metadata, session?.receiver ?? null, session?.clock?.offsetMs);
    if (!reading) return;
    this.#latency = reading;
    this.dispatchEvent(new CustomEvent('latency', { detail: reading }));
  }

  #attachStream(stream) {
    if (this.#video.srcObject === stream) return;
    this.#video.srcObject = stream;
    this.#video.play().catch((error) => {
      // A newer stream replacing this one aborts the play request; that is expected.
      if (error.name !== 'AbortError') console.warn('kvmrtc: the video does not play:', error);
    });
  }

  #resetMedia() {
    this.#hid.detach();
    this.#daemon = null;
    this.#frameSeen = false;
    this.#declinedCodec = '';
    this.#latency = null;
    this.#video.srcObject = null;
  }

  #computeState() {
    if (this.#declinedCodec && this.#daemon) return 'unsupported';
    if (this.#daemon?.video === 'no-signal') return 'no-signal';
    if (this.#daemon?.video === 'reconfiguring') return 'reconfiguring';
    if (this.#daemon?.video === 'live' && this.#frameSeen) return 'live';
    return this.#backoff.attempts > 0 ? 'reconnecting' : 'connecting';
  }

  #update() {
    const state = this.#computeState();
    // Keep the reason of the last drop on screen until the daemon has something to say.
    let message = this.#daemon ? this.#daemon.message ?? '' : this.#dropReason;
    if (state === 'unsupported') message = unsupportedMessage(this.#declinedCodec);
    // Seeing the daemon's video (or its verdict that there is none) ends a reconnect run.
    if (state === 'live' || state === 'no-signal' || state === 'unsupported' ||
        state === 'reconfiguring') {
      this.#backoff.reset();
    }
    if (state === this.#state && message === this.#message) return;
    this.#state = state;
    this.#message = message;
    this.setAttribute('state', state);
    this.#title.textContent = TITLES[state];
    this.#detail.textContent = message;
    this.dispatchEvent(new CustomEvent('statechange', { detail: { state, message } }));
  }

  #reportStats() {
    this.#fps = Math.round(this.#meter.sample() * 10) / 10;
    const detail = {
      fps: this.#fps,
      width: this.videoWidth,
      height: this.videoHeight,
      encoder: this.encoder,
    };
    this.dispatchEvent(new CustomEvent('stats', { detail }));
  }
}

customElements.define('kvm-video', KvmVideo);
