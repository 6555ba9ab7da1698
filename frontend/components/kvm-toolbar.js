// <kvm-toolbar>: the bar above the screen: key combinations the local system would keep for
// itself, the on-screen keyboard, paste dialog and stats panel toggles, the mouse mode, a
// snapshot of the screen and fullscreen, and at its end who is logged in, with a logout button.
// Its buttons keep the keyboard focus where it is (on the screen), so typing goes on.
// The controls that act on the target (combinations, keyboard, paste, mouse mode) show only
// once `role` says the user may control it: a viewer only watches, and before the daemon has
// said, nobody knows.
//
// The combinations are always on show, one click away, rather than in a drop-down: on a
// narrow window their strip scrolls sideways instead.
//
// Attributes:
//   for   id of the <kvm-video> to control; without it, the first <kvm-video> in the document
// Buttons carry data-action: combo-<id> (see lib/key-combos.js), toggle-osk, open-paste,
//   toggle-relative, open-settings (admins only), snapshot, toggle-stats, fullscreen, logout.
// <span data-user> shows "user · role"; hidden without a user name (login turned off).
// Properties: statsOpen (whether the stats button shows as pressed; set it to the panel's state),
//   user, role (viewer | operator | admin), mode (password | none: the logout button shows only
//   in password mode); all three from GET /api/session, empty until set
// Events:
//   osktoggle    detail: { open } the on-screen keyboard should show or hide
//   pasteopen    the paste dialog should open
//   settingsopen the video settings dialog should open
//   statstoggle  detail: { open } the stats panel should show or hide
//   logout       the user asked to log out

import { COMBOS, CONSOLE_COMBOS, SYSTEM_COMBOS, sendCombo } from '../lib/key-combos.js';
import { isFullscreen, toggleFullscreen, watchFullscreen } from '../lib/fullscreen.js';
import { icon } from '../lib/icons.js';
import { saveSnapshot } from '../lib/snapshot.js';
import { canControl } from '../lib/session.js';

const NOTICE_MS = 1600;

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      position: relative;
      z-index: 2;
      display: flex;
      align-items: center;
      gap: 2px;
      height: 38px;
      padding: 0 8px;
      background: #1c1e21;
      border-bottom: 1px solid #2c2f33;
      color: #c9cdd2;
      font-size: 12.5px;
      white-space: nowrap;
      user-select: none;
      -webkit-user-select: none;
    }
    [hidden] {
      display: none !important;
    }
    .brand {
      margin: 0 8px 0 4px;
      color: #e4e6e9;
      font-weight: 700;
      letter-spacing: 0.03em;
    }
    .divider {
      flex: none;
      width: 1px;
      height: 18px;
      margin: 0 6px;
      background: #34383d;
    }
    .keys {
      display: flex;
      align-items: center;
      gap: 2px;
      min-width: 0;
      overflow-x: auto;
      scrollbar-width: none;
    }
    .keys::-webkit-scrollbar {
      display: none;
    }
    .keys-title {
      margin: 0 4px 0 2px;
      color: #7d838a;
      font-size: 11px;
      letter-spacing: 0.06em;
      text-transform: uppercase;
    }
    .prefix {
      margin: 0 2px 0 6px;
      color: #7d838a;
    }
    button {
      display: inline-flex;
      flex: none;
      align-items: center;
      gap: 6px;
      height: 28px;
      padding: 0 10px;
      border: 0;
      border-radius: 6px;
      background: none;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    button:hover {
      background: #2a2d31;
      color: #e4e6e9;
    }
    button:active {
      background: #34383d;
    }
    button:focus-visible {
      outline: 2px solid #5b9cf0;
      outline-offset: -2px;
    }
    button[aria-pressed="true"] {
      background: #253246;
      color: #9cc3f7;
    }
    .combo {
      height: 24px;
      padding: 0 6px;
      background: #26292d;
      font-size: 12px;
    }
    /* Narrow enough that the whole bar fits a 1280 px window, in Firefox's fonts too. */
    .fkey {
      min-width: 25px;
      padding: 0 3px;
      justify-content: center;
    }
    .icon {
      width: 16px;
      height: 16px;
      flex: none;
    }
    .spacer {
      flex: 1;
      min-width: 8px;
    }
    /* Confirms a combination without taking room in the bar: a toast over the screen. */
    .notice {
      position: absolute;
      top: calc(100% + 10px);
      left: 50%;
      translate: -50% 0;
      padding: 0.4em 1em;
      border-radius: 999px;
      background: rgb(24 26 29 / 0.85);
      color: #d5d8dc;
      pointer-events: none;
      opacity: 0;
      transition: opacity 0.2s;
    }
    .notice.shown {
      opacity: 1;
    }
    .controls {
      display: flex;
      flex: none;
      align-items: center;
      gap: 2px;
    }
    .user {
      max-width: 14em;
      margin: 0 4px 0 2px;
      overflow: hidden;
      text-overflow: ellipsis;
      color: #a9aeb4;
    }
    @media (max-width: 1400px) {
      .brand, .keys-title, .controls .spare {
        display: none;
      }
    }
    /* Who is logged in takes the room of labels whose icons and tooltips say enough. */
    @media (max-width: 1600px) {
      .controls.beside-user .spare {
        display: none;
      }
    }
    @media (max-width: 760px) {
      .controls .label, .user {
        display: none;
      }
    }
  </style>
  <span class="brand">kvmrtc</span>
  <div class="keys input" role="group" aria-label="Send key combinations">
    <span class="keys-title">Keys</span>
    ${SYSTEM_COMBOS.map((combo) => comboButton(combo, 'combo')).join('')}
    <span class="prefix">Ctrl+Alt+</span>
    ${CONSOLE_COMBOS.map((combo) => comboButton(combo, 'combo fkey')).join('')}
  </div>
  <span class="divider input"></span>
  <div class="controls input">
    <button data-action="toggle-osk" aria-pressed="false" title="On-screen keyboard">
      ${icon('keyboard')}<span class="label spare">Keyboard</span>
    </button>
    <button data-action="open-paste" title="Type text on the target">
      ${icon('paste')}<span class="label spare">Paste</span>
    </button>
    <button data-action="toggle-relative" aria-pressed="false"
      title="Relative mode locks the pointer to the screen, for targets without absolute mouse support. Esc leaves it.">
      ${icon('mouse')}<span class="label">Mouse: <span class="mouse-mode">Absolute</span></span>
    </button>
  </div>
  <span class="spacer"></span>
  <span class="notice" role="status"></span>
  <button class="admin" data-action="open-settings" aria-label="Video settings" hidden
    title="Video settings: source, size, frame rate, bitrate, encoder">
    ${icon('settings')}
  </button>
  <button data-action="snapshot" aria-label="Save a snapshot"
    title="Save the target's screen as a picture (JPEG, full size)">
    ${icon('camera')}
  </button>
  <button data-action="toggle-stats" aria-pressed="false" aria-label="Stream statistics"
    title="Stream statistics: latency, frame rate, bitrate">
    ${icon('stats')}
  </button>
  <button data-action="fullscreen" aria-pressed="false" aria-label="Fullscreen" title="Fullscreen">
    <span class="fullscreen-icon">${icon('expand')}</span>
  </button>
  <span class="divider session" hidden></span>
  <span class="user" data-user hidden></span>
  <button data-action="logout" aria-label="Log out" title="Log out" hidden>${icon('logout')}</button>
`;

function comboButton(combo, className) {
  return `<button class="${className}" data-action="combo-${combo.id}" title="Send ${combo.label}"
    aria-label="${combo.label}">${combo.short}</button>`;
}

export class KvmToolbar extends HTMLElement {
  #root;
  #oskButton;
  #statsButton;
  #mouseButton;
  #fullscreenButton;
  #logoutButton;
  #userLabel;
  #controls;
  #sessionDivider;
  #notice;
  #noticeTimer = 0;
  #video = null;
  #user = '';
  #role = '';
  #mode = '';
  #unwatchFullscreen = null;
  #onMouseMode = () => this.#renderMouseMode();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.append(template.content.cloneNode(true));
    this.#oskButton = this.#button('toggle-osk');
    this.#statsButton = this.#button('toggle-stats');
    this.#mouseButton = this.#button('toggle-relative');
    this.#fullscreenButton = this.#button('fullscreen');
    this.#logoutButton = this.#button('logout');
    this.#userLabel = this.#root.querySelector('[data-user]');
    this.#controls = this.#root.querySelector('.controls');
    this.#sessionDivider = this.#root.querySelector('.divider.session');
    this.#notice = this.#root.querySelector('.notice');
    // A click on a button would take the focus from the screen and so the keyboard from the
    // target; keyboard users still reach the buttons with Tab.
    this.#root.addEventListener('mousedown', (event) => event.preventDefault());
    this.#root.addEventListener('click', (event) => this.#onClick(event));
    this.#renderSession();
  }

  connectedCallback() {
    const id = this.getAttribute('for');
    this.#video = id ? document.getElementById(id) : document.querySelector('kvm-video');
    if (!this.#video) {
      console.warn('kvmrtc: <kvm-toolbar> found no <kvm-video> to control');
      return;
    }
    this.#video.addEventListener('mousemodechange', this.#onMouseMode);
    this.#unwatchFullscreen = watchFullscreen(() => this.#renderFullscreen());
    this.#renderMouseMode();
    this.#renderFullscreen();
  }

  get statsOpen() {
    return this.#statsButton.getAttribute('aria-pressed') === 'true';
  }

  set statsOpen(open) {
    this.#statsButton.setAttribute('aria-pressed', String(Boolean(open)));
  }

  get user() {
    return this.#user;
  }

  set user(user) {
    this.#user = String(user ?? '');
    this.#renderSession();
  }

  get role() {
    return this.#role;
  }

  set role(role) {
    this.#role = String(role ?? '');
    this.#renderSession();
  }

  get mode() {
    return this.#mode;
  }

  set mode(mode) {
    this.#mode = String(mode ?? '');
    this.#renderSession();
  }

  disconnectedCallback() {
    this.#video?.removeEventListener('mousemodechange', this.#onMouseMode);
    this.#unwatchFullscreen?.();
    this.#video = null;
  }

  #button(action) {
    return this.#root.querySelector(`[data-action="${action}"]`);
  }

  #onClick(event) {
    const action = event.target.closest('[data-action]')?.dataset.action;
    if (action === 'logout') {
      this.dispatchEvent(new CustomEvent('logout'));
      return;
    }
    if (!action || !this.#video) return;
    if (action.startsWith('combo-')) {
      this.#sendCombo(COMBOS.find((combo) => `combo-${combo.id}` === action));
      return;
    }
    switch (action) {
      case 'toggle-osk': {
        const open = this.#oskButton.getAttribute('aria-pressed') !== 'true';
        this.#oskButton.setAttribute('aria-pressed', String(open));
        this.dispatchEvent(new CustomEvent('osktoggle', { detail: { open } }));
        break;
      }
      case 'toggle-stats': {
        const open = !this.statsOpen;
        this.statsOpen = open;
        this.dispatchEvent(new CustomEvent('statstoggle', { detail: { open } }));
        break;
      }
      case 'open-paste':
        this.dispatchEvent(new CustomEvent('pasteopen'));
        break;
      case 'open-settings':
        this.dispatchEvent(new CustomEvent('settingsopen'));
        break;
      case 'toggle-relative':
        this.#video.setRelativeMouse(!this.#video.relativeMouse);
        break;
      case 'fullscreen':
        toggleFullscreen().catch((error) => this.#notify(`Fullscreen refused: ${error.message}`));
        break;
      case 'snapshot':
        saveSnapshot().then(() => this.#notify('Snapshot saved'),
          (error) => this.#notify(`No snapshot: ${error.message}`));
        break;
    }
  }

  #sendCombo(combo) {
    const sent = sendCombo(this.#video.hid, combo.codes);
    this.#notify(sent ? `Sent ${combo.label}` : 'Not connected: nothing sent');
  }

  #notify(text) {
    this.#notice.textContent = text;
    this.#notice.classList.add('shown');
    clearTimeout(this.#noticeTimer);
    this.#noticeTimer = setTimeout(() => this.#notice.classList.remove('shown'), NOTICE_MS);
  }

  #renderSession() {
    for (const element of this.#root.querySelectorAll('.input')) {
      element.hidden = !canControl(this.#role);
    }
    for (const element of this.#root.querySelectorAll('.admin')) {
      element.hidden = this.#role !== 'admin';
    }
    this.#userLabel.hidden = !this.#user;
    this.#userLabel.textContent = [this.#user, this.#role].filter(Boolean).join(' · ');
    this.#userLabel.title = `Logged in as ${this.#user} (${this.#role})`;
    this.#logoutButton.hidden = this.#mode !== 'password';
    this.#sessionDivider.hidden = this.#userLabel.hidden && this.#logoutButton.hidden;
    this.#controls.classList.toggle('beside-user', !this.#sessionDivider.hidden);
  }

  #renderMouseMode() {
    const relative = this.#video.relativeMouse;
    this.#mouseButton.setAttribute('aria-pressed', String(relative));
    this.#mouseButton.querySelector('.mouse-mode').textContent = relative ? 'Relative' : 'Absolute';
  }

  #renderFullscreen() {
    const on = isFullscreen();
    this.#fullscreenButton.setAttribute('aria-pressed', String(on));
    this.#fullscreenButton.title = on ? 'Leave fullscreen (or hold Esc)' : 'Fullscreen';
    this.#fullscreenButton.querySelector('.fullscreen-icon').innerHTML = icon(on ? 'collapse' : 'expand');
  }
}

customElements.define('kvm-toolbar', KvmToolbar);
