// <kvm-paste>: a dialog that types text on the target. The daemon turns the text into key
// presses for the keyboard layout the target uses (docs/hid-protocol.md, `paste`), reports
// its progress, and refuses the whole text, before typing anything, when the layout cannot
// type some of its characters.
//
// Attributes:
//   for   id of the <kvm-video> whose target to type on; without it, the first in the document
// Methods: open()
// Inside: <textarea>, <select name="layout">, buttons data-action="type" and "cancel", and
//   data-role="paste-status" with the progress or the outcome.

import { DIALOG_STYLES } from '../lib/dialog-styles.js';
import { LAYOUTS, loadLayout, saveLayout } from '../lib/paste-layouts.js';

const MAX_CHARACTERS = 4096;
const MAX_MESSAGE_BYTES = 16 * 1024; // the daemon rejects larger hid messages
// The Cancel button's text while busy; when idle it says Cancel, or Close after an outcome.
const CANCEL_LABELS = { sent: 'Stop typing', typing: 'Stop typing', stopping: 'Close' };

const template = document.createElement('template');
template.innerHTML = `
  <style>
    ${DIALOG_STYLES}
    .body {
      display: flex;
      flex-direction: column;
      gap: 12px;
      padding: 18px 20px 16px;
      font-size: 13px;
    }
    h2 {
      margin: 0;
      font-size: 16px;
      font-weight: 600;
    }
    .lead {
      margin: 0;
      color: #8d939a;
    }
    textarea {
      box-sizing: border-box;
      width: 100%;
      min-height: 150px;
      padding: 8px 10px;
      resize: vertical;
      border: 1px solid #3a3e44;
      border-radius: 6px;
      background: #15171a;
      color: inherit;
      font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    }
    textarea:focus, select:focus-visible, button:focus-visible {
      outline: 2px solid #5b9cf0;
      outline-offset: -1px;
    }
    .row {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
    }
    label {
      display: flex;
      align-items: center;
      gap: 8px;
      color: #a9aeb4;
    }
    .counter {
      color: #8d939a;
      font-variant-numeric: tabular-nums;
    }
    .counter.over {
      color: #e5534b;
      font-weight: 600;
    }
    .status {
      min-height: 1.4em;
      margin: 0;
      color: #a9aeb4;
      line-height: 1.5;
    }
    .status.ok {
      color: #3ecf6e;
    }
    .status.error {
      color: #f0a19c;
    }
    .chips {
      display: block;
    }
    .status code {
      display: inline-block;
      margin: 2px 3px 0 0;
      padding: 0 6px;
      border: 1px solid #6b3a37;
      border-radius: 4px;
      background: #2d1d1c;
      color: #ffd2cf;
      font: 13px/1.6 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      white-space: pre;
    }
    progress {
      width: 100%;
      height: 6px;
      accent-color: #5b9cf0;
    }
    progress[hidden] {
      display: none;
    }
  </style>
  <dialog aria-labelledby="title">
    <div class="body">
      <h2 id="title">Paste text</h2>
      <p class="lead">Typed on the target as key presses. Pick the keyboard layout the target uses.</p>
      <textarea spellcheck="false" aria-label="Text to type" placeholder="Text to type on the target"></textarea>
      <div class="row">
        <label>Target layout
          <select name="layout">
            ${Object.entries(LAYOUTS).map(([id, name]) => `<option value="${id}">${name} — ${id}</option>`).join('')}
          </select>
        </label>
        <span class="counter" aria-live="polite"></span>
      </div>
      <progress hidden></progress>
      <p class="status" data-role="paste-status" role="status" aria-live="polite"></p>
    </div>
    <div class="buttons">
      <button type="button" data-action="cancel">Cancel</button>
      <button type="button" data-action="type" class="primary">Type</button>
    </div>
  </dialog>
`;

export class KvmPaste extends HTMLElement {
  #dialog;
  #text;
  #layout;
  #counter;
  #progress;
  #status;
  #typeButton;
  #cancelButton;
  #link = null;
  // idle | sent (waiting for the daemon's first word) | typing | stopping
  #state = 'idle';
  #finished = false; // an outcome is on show; the dialog's work is done
  #onHidMessage = (event) => this.#takeHidMessage(event.detail);
  #onHidOpen = () => this.#render();
  #onHidClose = () => {
    if (this.#state !== 'idle') {
      this.#finish('error', 'The connection was lost; typing may have stopped part-way.');
    }
    this.#render();
  };

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.append(template.content.cloneNode(true));
    this.#dialog = root.querySelector('dialog');
    this.#text = root.querySelector('textarea');
    this.#layout = root.querySelector('select');
    this.#counter = root.querySelector('.counter');
    this.#progress = root.querySelector('progress');
    this.#status = root.querySelector('[data-role="paste-status"]');
    this.#typeButton = root.querySelector('[data-action="type"]');
    this.#cancelButton = root.querySelector('[data-action="cancel"]');

    this.#layout.value = loadLayout();
    this.#layout.addEventListener('change', () => saveLayout(this.#layout.value));
    this.#text.addEventListener('input', () => {
      this.#finished = false;
      this.#render();
    });
    this.#text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.#type();
      }
    });
    this.#typeButton.addEventListener('click', () => this.#type());
    this.#cancelButton.addEventListener('click', () => this.#cancel());
    // Escape acts like Cancel: it stops typing first instead of hiding a paste in progress.
    this.#dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.#cancel();
    });
  }

  connectedCallback() {
    const id = this.getAttribute('for');
    const video = id ? document.getElementById(id) : document.querySelector('kvm-video');
    if (!video) {
      console.warn('kvmrtc: <kvm-paste> found no <kvm-video> to type on');
      return;
    }
    this.#link = video.hid;
    this.#link.addEventListener('message', this.#onHidMessage);
    this.#link.addEventListener('open', this.#onHidOpen);
    this.#link.addEventListener('close', this.#onHidClose);
    this.#render();
  }

  disconnectedCallback() {
    this.#link?.removeEventListener('message', this.#onHidMessage);
    this.#link?.removeEventListener('open', this.#onHidOpen);
    this.#link?.removeEventListener('close', this.#onHidClose);
    this.#link = null;
  }

  open() {
    if (!this.#dialog.open) this.#dialog.showModal();
    this.#render();
    this.#text.focus();
  }

  #type() {
    if (this.#typeButton.disabled) return;
    const message = { t: 'paste', text: this.#text.value, layout: this.#layout.value };
    if (new TextEncoder().encode(JSON.stringify(message)).length > MAX_MESSAGE_BYTES) {
      this.#finish('error', 'This text is too large to send at once; type it in parts.');
      return;
    }
    if (!this.#link.send(message)) return;
    this.#state = 'sent';
    this.#finished = false;
    this.#setStatus('Starting…', '');
    this.#render();
  }

  #cancel() {
    // Stopping waits for the daemon's word; a daemon that never gives it must not keep the
    // dialog open for good.
    if (this.#state === 'idle' || this.#state === 'stopping') {
      this.#dialog.close();
      return;
    }
    this.#link.send({ t: 'paste-cancel' });
    this.#state = 'stopping';
    this.#setStatus('Stopping…', '');
    this.#render();
  }

  #takeHidMessage(message) {
    if (message.t === 'error' && this.#state === 'sent') {
      this.#finish('error', `kvmrtc refused the text: ${message.message || message.code}`);
      return;
    }
    if (message.t !== 'paste') return;
    const { typed = 0, total = 0 } = message;
    switch (message.state) {
      case 'typing':
        if (this.#state === 'sent') this.#state = 'typing';
        this.#progress.max = Math.max(total, 1);
        this.#progress.value = typed;
        this.#progress.hidden = false;
        if (this.#state === 'typing') this.#setStatus(`Typing… ${typed} of ${total} characters`, '');
        this.#render();
        break;
      case 'done':
        this.#finish('ok', `Done: typed ${total} ${plural(total, 'character')}.`);
        break;
      case 'cancelled':
        this.#finish('', `Stopped after ${typed} of ${total} characters.`);
        break;
      case 'refused':
        this.#showRefusal(message.unsupported ?? []);
        break;
    }
  }

  #showRefusal(unsupported) {
    this.#finish('error', '');
    const layout = this.#layout.value;
    const count = unsupported.length;
    const chips = document.createElement('span');
    chips.className = 'chips';
    for (const character of unsupported) chips.append(characterChip(character), ' ');
    const what = count === 1 ? 'this character' : `these ${count} characters`;
    this.#status.append(
      `Nothing was typed: the ${LAYOUTS[layout]} (${layout}) layout cannot type ${what}: `,
      chips,
    );
  }

  #finish(kind, text) {
    this.#state = 'idle';
    this.#finished = true;
    this.#progress.hidden = true;
    this.#setStatus(text, kind);
    this.#render();
  }

  #setStatus(text, kind) {
    this.#status.textContent = text;
    this.#status.className = `status ${kind}`;
  }

  #render() {
    const busy = this.#state !== 'idle';
    const count = [...this.#text.value].length;
    this.#counter.textContent = `${count} / ${MAX_CHARACTERS}`;
    this.#counter.classList.toggle('over', count > MAX_CHARACTERS);
    this.#text.readOnly = busy;
    this.#layout.disabled = busy;
    this.#typeButton.disabled =
      busy || count === 0 || count > MAX_CHARACTERS || !this.#link?.isOpen;
    this.#typeButton.title = this.#link?.isOpen ? '' : 'Not connected to the target';
    this.#cancelButton.textContent = CANCEL_LABELS[this.#state] ?? (this.#finished ? 'Close' : 'Cancel');
    // Until there is progress or an outcome to show, the status says what blocks typing.
    if (!busy && !this.#finished) {
      this.#setStatus(this.#link?.isOpen ? '' : 'Waiting for the connection to the target…', '');
    }
  }
}

// Each refused character on its own, readable even when it is blank or invisible.
function characterChip(character) {
  const chip = document.createElement('code');
  const point = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  const visible = /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(character);
  chip.textContent = visible ? character : point;
  chip.title = point;
  return chip;
}

function plural(count, word) {
  return count === 1 ? word : `${word}s`;
}

customElements.define('kvm-paste', KvmPaste);
