// <kvm-status>: a one-line status bar for a <kvm-video>: connection state, resolution, the
// frame rate the browser actually shows, and the daemon's encoder.
//
// Attributes:
//   for     id of the <kvm-video> to follow; without it, the first <kvm-video> in the document
//   state   mirrors the video's state (set by the element)

const LABELS = {
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  live: 'Live',
  'no-signal': 'No signal',
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
  </style>
  <span class="state"><span class="dot"></span><span class="word"></span></span>
  <span class="field resolution" title="Resolution" hidden></span>
  <span class="field fps" title="Frames per second shown by this browser" hidden></span>
  <span class="field encoder" title="Encoder" hidden></span>
  <span class="field message" hidden></span>
`;

export class KvmStatus extends HTMLElement {
  #word;
  #resolution;
  #fps;
  #encoder;
  #message;
  #video = null;
  #onStateChange = () => this.#render();
  #onStats = () => this.#render();

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    this.#word = root.querySelector('.word');
    this.#resolution = root.querySelector('.resolution');
    this.#fps = root.querySelector('.fps');
    this.#encoder = root.querySelector('.encoder');
    this.#message = root.querySelector('.message');
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
    this.#render();
  }

  disconnectedCallback() {
    this.#video?.removeEventListener('statechange', this.#onStateChange);
    this.#video?.removeEventListener('stats', this.#onStats);
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
  }
}

function show(element, visible, text) {
  element.hidden = !visible;
  if (visible) element.textContent = text;
}

customElements.define('kvm-status', KvmStatus);
