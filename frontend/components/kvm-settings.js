// <kvm-settings>: the video settings dialog, for admins. It shows the settings in force
// (GET /api/settings/video) and sends the ones changed (PUT): the daemon checks them as it
// checks its config file, writes them into that file and reloads it, so the picture changes
// while the page keeps playing. Errors show next to the field they are about.
//
// Methods: open()
// Inside: a <form> whose inputs are named as the config keys (pipeline, width, height,
//   framerate, bitrate, min-bitrate, max-bitrate, encoder, zero-playout-delay), buttons
//   data-action="apply" and "close", and data-role="settings-status" with the outcome.

import { DIALOG_STYLES } from '../lib/dialog-styles.js';

const NUMBER_FIELDS = ['width', 'height', 'framerate', 'bitrate', 'min-bitrate', 'max-bitrate'];

const template = document.createElement('template');
template.innerHTML = `
  <style>
    ${DIALOG_STYLES}
    form {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 8px 14px;
      align-items: center;
      padding: 18px 20px 12px;
      font-size: 13px;
    }
    h2, .lead, .status {
      grid-column: 1 / -1;
      margin: 0;
    }
    h2 {
      font-size: 16px;
      font-weight: 600;
    }
    .lead, label {
      color: #8d939a;
    }
    input[type="checkbox"] {
      justify-self: start;
      height: auto;
    }
    [aria-invalid="true"] {
      border-color: #e5534b;
    }
    .field-error {
      grid-column: 2;
      margin: -4px 0 0;
      color: #f0a19c;
    }
    .status {
      min-height: 1.4em;
      color: #a9aeb4;
    }
    .status.ok {
      color: #3ecf6e;
    }
    .status.error {
      color: #f0a19c;
    }
  </style>
  <dialog aria-labelledby="settings-title">
    <form method="dialog" novalidate>
      <h2 id="settings-title">Video settings</h2>
      <p class="lead">Applied at once to everyone watching, and kept in the daemon's config file.</p>
      <label for="pipeline">Source preset</label><select id="pipeline" name="pipeline"></select>
      <label for="width">Width</label><input id="width" name="width" type="number" min="160">
      <label for="height">Height</label><input id="height" name="height" type="number" min="120">
      <label for="framerate">Frame rate</label><input id="framerate" name="framerate" type="number" min="1" max="120">
      <label for="bitrate">Bitrate (kbit/s)</label><input id="bitrate" name="bitrate" type="number" min="100">
      <label for="min-bitrate">Lowest bitrate</label><input id="min-bitrate" name="min-bitrate" type="number" min="100">
      <label for="max-bitrate">Highest bitrate</label><input id="max-bitrate" name="max-bitrate" type="number" min="100">
      <label for="encoder">Encoder</label><select id="encoder" name="encoder"></select>
      <label for="zero-playout-delay">Zero playout delay</label>
      <input id="zero-playout-delay" name="zero-playout-delay" type="checkbox">
      <p class="status" data-role="settings-status" role="status"></p>
    </form>
    <div class="buttons">
      <button type="button" data-action="close">Close</button>
      <button type="button" class="primary" data-action="apply">Apply</button>
    </div>
  </dialog>
`;

function fillOptions(select, values, current) {
  const options = values.includes(current) ? values : [current, ...values];
  select.replaceChildren(...options.map((value) => new Option(value, value, false, value === current)));
}

class KvmSettings extends HTMLElement {
  #root = this.attachShadow({ mode: 'open' });
  #dialog;
  #form;
  #status;
  #loaded = {};

  constructor() {
    super();
    this.#root.append(template.content.cloneNode(true));
    this.#dialog = this.#root.querySelector('dialog');
    this.#form = this.#root.querySelector('form');
    this.#status = this.#root.querySelector('[data-role="settings-status"]');
    this.#root.querySelector('[data-action="close"]').addEventListener('click', () => this.#dialog.close());
    this.#root.querySelector('[data-action="apply"]').addEventListener('click', () => this.#apply());
  }

  async open() {
    this.#showStatus('Loading…');
    if (!this.#dialog.open) this.#dialog.showModal();
    try {
      const response = await fetch('/api/settings/video', { cache: 'no-store' });
      if (!response.ok) throw new Error(`the daemon answered ${response.status}`);
      this.#show(await response.json());
      this.#showStatus('');
    } catch (error) {
      this.#showStatus(`Cannot read the settings: ${error.message}`, 'error');
    }
  }

  #show(settings) {
    this.#loaded = settings;
    const { elements } = this.#form;
    fillOptions(elements.pipeline, settings.pipelines, settings.pipeline);
    fillOptions(elements.encoder, settings.encoders, settings.encoder);
    for (const name of NUMBER_FIELDS) elements[name].value = settings[name];
    elements['zero-playout-delay'].checked = settings['zero-playout-delay'];
    this.#clearFieldErrors();
  }

  // Only what differs from the settings in force: the file keeps every other line as it is.
  #changes() {
    const { elements } = this.#form;
    const changes = {};
    for (const name of ['pipeline', 'encoder']) {
      if (elements[name].value !== this.#loaded[name]) changes[name] = elements[name].value;
    }
    for (const name of NUMBER_FIELDS) {
      const text = elements[name].value.trim();
      const value = Number(text);
      // Sent as typed when it is no whole number: the daemon's message then names the field.
      if (value !== this.#loaded[name]) changes[name] = Number.isInteger(value) && text !== '' ? value : text;
    }
    const zero = elements['zero-playout-delay'].checked;
    if (zero !== this.#loaded['zero-playout-delay']) changes['zero-playout-delay'] = zero;
    return changes;
  }

  async #apply() {
    const changes = this.#changes();
    this.#clearFieldErrors();
    if (Object.keys(changes).length === 0) {
      this.#showStatus('Nothing changed.');
      return;
    }
    this.#showStatus('Applying…');
    try {
      const response = await fetch('/api/settings/video', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(changes),
      });
      const answer = await response.json();
      if (!response.ok || !answer.ok) {
        this.#showErrors(answer.errors ?? []);
        return;
      }
      const applied = answer.applied.map(({ key, how }) => `${key} (${how})`).join(', ');
      this.#showStatus(`Applied: ${applied || 'no change'}.`, 'ok');
      this.#loaded = { ...this.#loaded, ...changes };
    } catch (error) {
      this.#showStatus(`Not applied: ${error.message}`, 'error');
    }
  }

  #showErrors(errors) {
    const general = [];
    for (const { field, message } of errors) {
      const input = field && this.#form.elements[field];
      if (!input) {
        general.push(message);
        continue;
      }
      input.setAttribute('aria-invalid', 'true');
      const note = document.createElement('p');
      note.className = 'field-error';
      note.dataset.field = field;
      note.textContent = message;
      input.after(note);
    }
    this.#showStatus(`Not applied${general.length ? `: ${general.join('; ')}` : ': see the fields marked.'}`,
      'error');
  }

  #clearFieldErrors() {
    for (const note of this.#root.querySelectorAll('.field-error')) note.remove();
    for (const input of this.#root.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
  }

  #showStatus(text, kind = '') {
    this.#status.textContent = text;
    this.#status.className = `status ${kind}`;
  }
}

customElements.define('kvm-settings', KvmSettings);
