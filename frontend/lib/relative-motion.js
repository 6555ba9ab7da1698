// Accumulates pointer-lock movement between sends and cuts it into steps a boot-protocol
// mouse can carry (−127..127 per axis). No DOM here, so it runs under node too.

const LIMIT = 127;

export class RelativeMotion {
  #x = 0;
  #y = 0;

  /** Adds movement in CSS pixels; browsers may report fractions on high-DPI screens. */
  add(dx, dy) {
    this.#x += dx;
    this.#y += dy;
  }

  /**
   * Takes the whole pixels moved so far as steps [{ dx, dy }, …], each within ±127, spread
   * evenly so the path keeps its direction. Fractions stay for the next take.
   */
  take() {
    const x = Math.trunc(this.#x);
    const y = Math.trunc(this.#y);
    this.#x -= x;
    this.#y -= y;
    const count = Math.ceil(Math.max(Math.abs(x), Math.abs(y)) / LIMIT);
    const steps = [];
    for (let i = 1; i <= count; i += 1) {
      steps.push({ dx: share(x, i, count), dy: share(y, i, count) });
    }
    return steps;
  }

  clear() {
    this.#x = 0;
    this.#y = 0;
  }
}

// The i-th of count steps of total: the differences of rounded running totals add up exactly.
function share(total, i, count) {
  return Math.round((total * i) / count) - Math.round((total * (i - 1)) / count);
}
