// Turns browser wheel deltas into whole wheel notches. Browsers report pixels, lines or pages,
// and a trackpad sends many tiny deltas per gesture; the target's mouse only knows notches.
// No DOM here, so it runs under node too.

const PIXELS_PER_LINE = 40;
const PIXELS_PER_NOTCH = 100; // a notch of a common mouse wheel in Chromium
const MAX_NOTCHES = 3; // per take(): a fling's huge deltas would scroll the target for seconds
// A remainder this old belongs to a finished gesture; carried on, it would add a stray notch
// to the next one.
const FORGET_AFTER_MS = 300;

// WheelEvent.deltaMode values
const DOM_DELTA_LINE = 1;
const DOM_DELTA_PAGE = 2;

export class WheelNotches {
  #x = 0; // pixels, positive = right
  #y = 0; // pixels, positive = up, away from the user
  #lastAt = -Infinity;

  /**
   * Adds one wheel event's deltas (DOM signs: positive deltaY scrolls down).
   * pageHeight is the height of a "page" in pixels for deltaMode page.
   */
  add({ deltaX, deltaY, deltaMode }, pageHeight, now) {
    if (now - this.#lastAt > FORGET_AFTER_MS) this.clear();
    this.#lastAt = now;
    const unit = pixelsPer(deltaMode, pageHeight);
    this.#x += deltaX * unit;
    this.#y -= deltaY * unit;
  }

  /** Whole notches gathered since the last take, { dx, dy }; the rest waits for more. */
  take() {
    const dx = notches(this.#x);
    const dy = notches(this.#y);
    this.#x = Math.abs(dx) === MAX_NOTCHES ? 0 : this.#x - dx * PIXELS_PER_NOTCH;
    this.#y = Math.abs(dy) === MAX_NOTCHES ? 0 : this.#y - dy * PIXELS_PER_NOTCH;
    return { dx, dy };
  }

  clear() {
    this.#x = 0;
    this.#y = 0;
  }
}

function pixelsPer(deltaMode, pageHeight) {
  if (deltaMode === DOM_DELTA_LINE) return PIXELS_PER_LINE;
  if (deltaMode === DOM_DELTA_PAGE) return pageHeight;
  return 1;
}

function notches(pixels) {
  const whole = Math.trunc(pixels / PIXELS_PER_NOTCH);
  return Math.max(-MAX_NOTCHES, Math.min(MAX_NOTCHES, whole));
}
