// Sends the physical keys pressed while an element has focus to the target as `key` messages.
// Keys go by KeyboardEvent.code, so the target's own layout decides what they type.

export class KeyboardCapture {
  #element;
  #link;
  #pressed = new Set(); // codes sent down and not yet up
  #onKeyDown = (event) => this.#onKey(event, true);
  #onKeyUp = (event) => this.#onKey(event, false);
  #onFocusOut = () => {
    // A key still held when focus moves away would let its keyup go elsewhere: stuck key.
    if (this.#pressed.size > 0) this.#link.release();
  };
  #onLostKeyboard = () => this.#link.release();
  #onVisibility = () => {
    if (document.visibilityState === 'hidden') this.#link.release();
  };
  #onRelease = () => this.#pressed.clear();

  constructor(element, link) {
    this.#element = element;
    this.#link = link;
  }

  start() {
    this.#element.addEventListener('keydown', this.#onKeyDown);
    this.#element.addEventListener('keyup', this.#onKeyUp);
    this.#element.addEventListener('focusout', this.#onFocusOut);
    // The page sees no keyup for keys let go while another window has the keyboard.
    window.addEventListener('blur', this.#onLostKeyboard);
    window.addEventListener('pagehide', this.#onLostKeyboard);
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#link.addEventListener('release', this.#onRelease);
  }

  stop() {
    this.#link.release();
    this.#element.removeEventListener('keydown', this.#onKeyDown);
    this.#element.removeEventListener('keyup', this.#onKeyUp);
    this.#element.removeEventListener('focusout', this.#onFocusOut);
    window.removeEventListener('blur', this.#onLostKeyboard);
    window.removeEventListener('pagehide', this.#onLostKeyboard);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#link.removeEventListener('release', this.#onRelease);
  }

  #onKey(event, down) {
    // Unidentified keys (some IME and media keys) have no code to send.
    if (!event.code) return;
    // Every key belongs to the target, Escape and Tab included.
    event.preventDefault();
    // The target repeats held keys itself. The set also catches repeats not flagged as such
    // and the keyup of a key pressed before the element had focus.
    if (event.repeat || down === this.#pressed.has(event.code)) return;
    if (down) this.#pressed.add(event.code);
    else this.#pressed.delete(event.code);
    this.#link.send({ t: 'key', code: event.code, down });
  }
}
