// Reconnect delays: 0.5 s, 1 s, 2 s, 4 s, then 5 s for every further attempt.

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

export class Backoff {
  #attempts = 0;

  /** Failed attempts since the last reset. */
  get attempts() {
    return this.#attempts;
  }

  /** Returns the delay before the next attempt and counts that attempt. */
  next() {
    const delay = Math.min(FIRST_DELAY_MS * 2 ** this.#attempts, MAX_DELAY_MS);
    this.#attempts += 1;
    return delay;
  }

  reset() {
    this.#attempts = 0;
  }
}
