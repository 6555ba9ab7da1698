// <kvm-status>: a one-line status bar for a <kvm-video>: connection state, the latency of the
// frame on screen, resolution, the frame rate the browser actually shows, the daemon's encoder,
// and from the "hid" channel the target's keyboard LEDs and whether its keyboard and mouse work.
//
// Attributes:
//   for     id of the <kvm-video> to follow; without it, the first <kvm-video> in the document
// Set by the element, for styles and tests:
//   state   mirrors the video's state
//   latency capture → display of the latest measured frame, whole ms; absent while live video
//           brings no reading (docs/latency-meter.md)
//   leds    the lit LEDs, space-separated in the order "num caps scroll"; empty when none
//   hid     ok | not-responding | missing: the worst state of the target's HID devices, as the
//           daemon last reported it on the open channel; absent until then, so a page (or a
//           test) that sees `ok` knows keys and mouse will reach the target

const LABELS = {
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  live: 'Live',
  'no-signal': 'No signal',
  reconfiguring: 'Applying settings',
  unsupported: 'No picture in this browser',
};

const LEDS = ['num', 'caps', 'scroll'];
const LED_LABELS = { num: 'Num', caps: 'Caps', scroll: 'Scroll' };

// The latency shown is the latest frame's, refreshed this often; a reading older than
// LATENCY_FRESH_MS describes a picture no longer on screen, so it is not shown at all.
const LATENCY_REFRESH_MS = 250;
const LATENCY_FRESH_MS = 1000;

// Worst last. A missing device will not come back by itself; an unresponsive target may.
const HID_STATES = ['ok', 'not-responding', 'missing'];
const HID_DEVICES = ['keyboard', 'mouse', 'mouse-relative'];
const HID_LABELS = {
  'not-responding': 'Target not responding',
  missing: 'Keyboard/mouse device missing',
};

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      display: flex;
      align-items: center;
      gap: 1.1em;
      height: 28px;
      padding: 0 0.9em;
      overflow: hidden;
      white-space: nowrap;
      background: #1c1e21;
      border-top: 1px solid #2c2f33;
      color: #a9aeb4;
      font-size: 12px;
      font-variant-numeric: tabular-nums;
    }
    .state {
      display: flex;
      align-items: center;
      gap: 0.5em;
      color: #e4e6e9;
      font-weight: 600;
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: #5b9cf0;
    }
    :host([state="live"]) .dot {
      background: #3ecf6e;
      box-shadow: 0 0 6px rgb(62 207 110 / 0.6);
    }
    :host([state="no-signal"]) .dot {
      background: #e5534b;
    }
    :host([state="reconnecting"]) .dot {
      background: #e0a526;
    }
    :host([state="connecting"]) .dot,
    :host([state="reconnecting"]) .dot {
      animation: pulse 1.2s ease-in-out infinite;
    }
    @keyframes pulse {
      50% { opacity: 0.35; }
    }
    @media (prefers-reduced-motion: reduce) {
      .dot { animation: none !important; }
    }
    .field {
      padding-left: 1.1em;
      border-left: 1px solid #34383d;
    }
    .field[hidden] {
      display: none;
    }
    .message {
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .input {
      display: flex;
      align-items: center;
      gap: 1.1em;
      margin-left: auto;
    }
    .hid {
      font-weight: 600;
    }
    :host([hid="not-responding"]) .hid {
      color: #e0a526;
    }
    :host([hid="missing"]) .hid {
      color: #e5534b;
    }
    .leds {
      display: flex;
      gap: 0.8em;
    }
    .leds[hidden] {
      display: none;
    }
    .led {
      display: flex;
      align-items: center;
      gap: 0.35em;
      color: #6b7178;
    }
    .led::before {
      content: "";
      width: 6px;
      height: 6px;
      border-radius: 50%;
      background: #3a3e44;
    }
    .led.lit {
      color: #e4e6e9;
    }
    /* On a phone the target's state matters more than the stream's details. */
    @media (max-width: 600px) {
      .resolution, .encoder, .leds {
        display: none !important;
      }
    }
    .led.lit::before {
      background: #3ecf6e;
      box-shadow: 0 0 5px rgb(62 207 110 / 0.7);
    }
  </style>
  <span class="state"><span class="dot"></span><span class="word"></span></span>
  <span class="field latency" title="Latency: capture → display, this frame" hidden></span>
  <span class="field resolution" title="Resolution" hidden></span>
  <span class="field fps" title="Frames per second shown by this browser" hidden></span>
  <span class="field encoder" title="Encoder" hidden></span>
  <span class="field message" hidden></span>
  <span class="input">
    <span class="hid" role="status" hidden></span>
    <span class="leds" title="Keyboard LEDs of the target" hidden>
      ${LEDS.map((led) => `<span class="led" data-led="${led}">${LED_LABELS[led]}</span>`).join('')}
    </span>
  </span>
`;

export class KvmStatus extends HTMLElement {
  #word;
  #resolution;
  #fps;
  #latency;
  #encoder;
  #message;
  #hid;
  #leds;
  #video = null;
  #litLeds = [];
  #devices = null; // the daemon's last `hid` message on the current channel
  #reading = null; // the video's last `latency` detail
  #readingAt = 0;
  #latencyTimer = 0;
  #onStateChange = () => this.#render();
  #onStats = () => this.#render();
  #onLatency = (event) => {
    this.#reading = event.detail;
    this.#readingAt = performance.now();
  };
  #onHidMessage = (event) => this.#takeHidMessage(event.detail);
  #onHidOpen = () => this.#renderInput();
  #onHidClose = () => {
    // The next channel reports afresh; until then, old LEDs and warnings would be guesses.
    this.#litLeds = [];
    this.#devices = null;
    this.#renderInput();
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    this.#word = root.querySelector('.word');
    this.#resolution = root.querySelector('.resolution');
    this.#fps = root.querySelector('.fps');
    this.#latency = root.querySelector('.latency');
    this.#encoder = root.querySelector('.encoder');
    this.#message = root.querySelector('.message');
    this.#hid = root.querySelector('.hid');
    this.#leds = root.querySelector('.leds');
  }

  connectedCallback() {
    const id = this.getAttribute('for');
    this.#video = id ? document.getElementById(id) : document.querySelector('kvm-video');
    if (!this.#video) {
      console.warn('kvmrtc: <kvm-status> found no <kvm-video> to follow');
      return;
    }
    this.#video.addEventListener('statechange', this.#onStateChange);
    this.#video.addEventListener('stats', this.#onStats);
    this.#video.addEventListener('latency', this.#onLatency);
    this.#video.hid.addEventListener('message', this.#onHidMessage);
    this.#video.hid.addEventListener('open', this.#onHidOpen);
    this.#video.hid.addEventListener('close', this.#onHidClose);
    this.#latencyTimer = setInterval(() => this.#renderLatency(), LATENCY_REFRESH_MS);
    this.#render();
    this.#renderInput();
  }

  disconnectedCallback() {
    this.#video?.removeEventListener('statechange', this.#onStateChange);
    this.#video?.removeEventListener('stats', this.#onStats);
    this.#video?.removeEventListener('latency', this.#onLatency);
    this.#video?.hid.removeEventListener('message', this.#onHidMessage);
    this.#video?.hid.removeEventListener('open', this.#onHidOpen);
    this.#video?.hid.removeEventListener('close', this.#onHidClose);
    clearInterval(this.#latencyTimer);
    this.#video = null;
  }

  #render() {
    const video = this.#video;
    const state = video.state || 'connecting';
    const live = state === 'live';
    this.setAttribute('state', state);
    this.#word.textContent = LABELS[state];
    show(this.#resolution, live && video.videoWidth > 0, `${video.videoWidth}×${video.videoHeight}`);
    show(this.#fps, live, `${Math.round(video.fps)} fps`);
    show(this.#encoder, Boolean(video.encoder), video.encoder);
    show(this.#message, Boolean(video.message), video.message);
    this.#renderLatency();
  }

  #renderLatency() {
    const fresh = this.#reading && performance.now() - this.#readingAt < LATENCY_FRESH_MS;
    const ms = fresh && this.#video.state === 'live' ? Math.round(this.#reading.latencyMs) : null;
    if (ms === null) this.removeAttribute('latency');
    else this.setAttribute('latency', String(ms));
    const unavailable = this.#video.state === 'live' && this.#video.latencyAvailable === false;
    show(this.#latency, ms !== null || unavailable,
      unavailable ? 'Latency: not available in this browser' : `Latency ${ms} ms`);
  }

  #takeHidMessage(message) {
    if (message.t === 'leds') {
      this.#litLeds = LEDS.filter((led) => message[led] === true);
    } else if (message.t === 'hid') {
      this.#devices = message;
    } else {
      return;
    }
    this.#renderInput();
  }

  #renderInput() {
    this.#renderDevices();
    this.#renderLeds();
  }

  #renderLeds() {
    this.setAttribute('leds', this.#litLeds.join(' '));
    this.#leds.hidden = !this.#video.hid.isOpen;
    for (const led of this.#leds.children) {
      led.classList.toggle('lit', this.#litLeds.includes(led.dataset.led));
    }
  }

  #renderDevices() {
    const devices = this.#devices;
    if (!devices) {
      this.removeAttribute('hid');
      this.#hid.hidden = true;
      return;
    }
    const worst = HID_DEVICES.map((device) => devices[device])
      .filter((state) => HID_STATES.includes(state))
      .reduce((a, b) => (HID_STATES.indexOf(b) > HID_STATES.indexOf(a) ? b : a), 'ok');
    this.setAttribute('hid', worst);
    show(this.#hid, worst !== 'ok', HID_LABELS[worst]);
    this.#hid.title = HID_DEVICES.map((device) => `${device}: ${devices[device]}`).join(', ');
  }
}

function show(element, visible, text) {
  element.hidden = !visible;
  if (visible) element.textContent = text;
}

customElements.define('kvm-status', KvmStatus);
