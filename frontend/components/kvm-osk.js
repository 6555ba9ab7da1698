// <kvm-osk>: an on-screen keyboard for the target, for touch screens and for keys the local
// keyboard lacks. A key is down on the target for as long as it is held here, so the target
// repeats it as usual. Modifiers latch: a tap holds them down on the target until the next
// other key has been pressed and let go (tap again to let go before that).
//
// Attributes:
//   for   id of the <kvm-video> whose target to type on; without it, the first in the document
// Keys are <button data-code="KeyA"> etc.; a latched modifier has aria-pressed="true".

import { LED_KEYS, MODIFIERS, ROWS, ROW_UNITS } from '../lib/osk-layout.js';

const QUARTERS = ROW_UNITS * 4; // grid columns: every key width is a multiple of 1/4 unit

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      display: block;
      padding: 8px 8px 10px;
      background: #16181b;
      border-top: 1px solid #2c2f33;
      user-select: none;
      -webkit-user-select: none;
      -webkit-touch-callout: none;
    }
    :host([hidden]) {
      display: none;
    }
    .keys {
      display: grid;
      grid-template-columns: repeat(${QUARTERS}, minmax(0, 1fr));
      grid-auto-rows: clamp(34px, 5.4vh, 46px);
      gap: 4px;
      max-width: 1120px;
      margin: 0 auto;
    }
    button {
      position: relative;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      min-width: 0;
      padding: 0 2px;
      overflow: hidden;
      border: 0;
      border-radius: 6px;
      background: #2b2e33;
      box-shadow: inset 0 -2px 0 #1d1f22;
      color: #e4e6e9;
      font: inherit;
      font-size: clamp(10px, 1.1vw, 13px);
      line-height: 1.15;
      white-space: nowrap;
      cursor: pointer;
      touch-action: none;
    }
    button:hover {
      background: #33373c;
    }
    button:focus-visible {
      outline: 2px solid #5b9cf0;
      outline-offset: -2px;
    }
    button.down,
    button:active {
      background: #3e444c;
      box-shadow: none;
      translate: 0 1px;
    }
    button.modifier {
      background: #25282c;
      color: #b6bbc1;
    }
    button[aria-pressed="true"] {
      background: #2f5ea8;
      color: #fff;
    }
    /* A phone held upright: every key still on screen, so smaller gaps and legends. */
    @media (max-width: 600px) {
      :host {
        padding: 6px 3px 8px;
      }
      .keys {
        gap: 2px;
      }
      button {
        padding: 0;
        border-radius: 4px;
        font-size: 9px;
      }
    }
    .shifted {
      color: #8d939a;
      font-size: 0.85em;
    }
    .led {
      position: absolute;
      top: 5px;
      right: 6px;
      width: 5px;
      height: 5px;
      border-radius: 50%;
      background: #3a3e44;
    }
    .led.lit {
      background: #3ecf6e;
      box-shadow: 0 0 5px rgb(62 207 110 / 0.7);
    }
  </style>
  <div class="keys" role="group" aria-label="On-screen keyboard"></div>
`;

export class KvmOsk extends HTMLElement {
  #keys;
  #link = null;
  #latched = new Set(); // modifier codes held down on the target until the next key
  #held = new Map(); // pointerId → code of a non-modifier key held by that pointer
  #onRelease = () => {
    this.#latched.clear();
    this.#held.clear();
    this.#render();
  };
  #onHidMessage = (event) => {
    if (event.detail.t === 'leds') this.#renderLeds(event.detail);
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    this.#keys = root.querySelector('.keys');
    for (const row of ROWS) for (const key of row) this.#keys.append(keyElement(key));
    // Tapping a key must leave the keyboard focus on the screen, where typing goes on, and a
    // long press is a held key, not a context menu.
    root.addEventListener('mousedown', (event) => event.preventDefault());
    root.addEventListener('contextmenu', (event) => event.preventDefault());
    this.#keys.addEventListener('pointerdown', (event) => this.#onPointerDown(event));
    this.#keys.addEventListener('pointerup', (event) => this.#onPointerUp(event));
    this.#keys.addEventListener('pointercancel', (event) => this.#onPointerUp(event));
    // Enter or Space on a focused key: a click without a pointer.
    this.#keys.addEventListener('click', (event) => {
      const code = event.target.closest('button')?.dataset.code;
      if (code && event.detail === 0) this.#tap(code);
    });
  }

  connectedCallback() {
    const id = this.getAttribute('for');
    const video = id ? document.getElementById(id) : document.querySelector('kvm-video');
    if (!video) {
      console.warn('kvmrtc: <kvm-osk> found no <kvm-video> to type on');
      return;
    }
    this.#link = video.hid;
    this.#link.addEventListener('release', this.#onRelease);
    this.#link.addEventListener('message', this.#onHidMessage);
  }

  disconnectedCallback() {
    this.#link?.removeEventListener('release', this.#onRelease);
    this.#link?.removeEventListener('message', this.#onHidMessage);
    this.#link = null;
  }

  #onPointerDown(event) {
    const button = event.target.closest('button');
    if (!button) return;
    const code = button.dataset.code;
    if (MODIFIERS.has(code)) {
      this.#toggleLatch(code);
      return;
    }
    // Sliding off the key would otherwise lose the pointerup and leave the key down.
    button.setPointerCapture(event.pointerId);
    this.#held.set(event.pointerId, code);
    this.#send(code, true);
    this.#render();
  }

  #onPointerUp(event) {
    const code = this.#held.get(event.pointerId);
    if (!code) return;
    this.#held.delete(event.pointerId);
    this.#send(code, false);
    this.#releaseLatched();
    this.#render();
  }

  #tap(code) {
    if (MODIFIERS.has(code)) {
      this.#toggleLatch(code);
      return;
    }
    this.#send(code, true);
    this.#send(code, false);
    this.#releaseLatched();
    this.#render();
  }

  #toggleLatch(code) {
    const latch = !this.#latched.has(code);
    if (latch) this.#latched.add(code);
    else this.#latched.delete(code);
    this.#send(code, latch);
    this.#render();
  }

  #releaseLatched() {
    // Other keys still held (multi-touch) keep their modifiers until the last is let go.
    if (this.#held.size > 0) return;
    for (const code of [...this.#latched].reverse()) this.#send(code, false);
    this.#latched.clear();
  }

  #send(code, down) {
    this.#link?.send({ t: 'key', code, down });
  }

  #render() {
    const held = new Set(this.#held.values());
    for (const button of this.#keys.querySelectorAll('button')) {
      const code = button.dataset.code;
      if (MODIFIERS.has(code)) button.setAttribute('aria-pressed', String(this.#latched.has(code)));
      else button.classList.toggle('down', held.has(code));
    }
  }

  #renderLeds(leds) {
    for (const led of this.#keys.querySelectorAll('.led')) {
      led.classList.toggle('lit', leds[led.dataset.led] === true);
    }
  }
}

function keyElement({ code, label, shifted, width }) {
  const span = `grid-column: span ${width * 4}`;
  if (!code) {
    const spacer = document.createElement('span');
    spacer.style.cssText = span;
    return spacer;
  }
  const button = document.createElement('button');
  button.type = 'button';
  button.style.cssText = span;
  button.dataset.code = code;
  button.setAttribute('aria-label', code === 'Space' ? 'Space' : [shifted, label].join(' ').trim());
  if (MODIFIERS.has(code)) {
    button.classList.add('modifier');
    button.setAttribute('aria-pressed', 'false');
  }
  if (shifted) {
    const top = document.createElement('span');
    top.className = 'shifted';
    top.textContent = shifted;
    button.append(top);
  }
  button.append(label);
  if (LED_KEYS[code]) {
    const led = document.createElement('span');
    led.className = 'led';
    led.dataset.led = LED_KEYS[code];
    button.append(led);
  }
  return button;
}

customElements.define('kvm-osk', KvmOsk);
