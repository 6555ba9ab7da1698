// The readings of the last few seconds, summarised: the panel's "now / average / max".

export class RollingWindow {
  #spanMs;
  #entries = []; // { at, value }, oldest first

  constructor(spanMs) {
    this.#spanMs = spanMs;
  }

  add(at, value) {
    this.#entries.push({ at, value });
    this.#prune(at);
  }

  clear() {
    this.#entries = [];
  }

  /** { last, mean, max, count } of the readings within the span before `now`; null if none. */
  summary(now) {
    this.#prune(now);
    const entries = this.#entries;
    if (entries.length === 0) return null;
    let sum = 0;
    let max = -Infinity;
    for (const { value } of entries) {
      sum += value;
      max = Math.max(max, value);
    }
    return { last: entries.at(-1).value, mean: sum / entries.length, max, count: entries.length };
  }

  #prune(now) {
    const horizon = now - this.#spanMs;
    let stale = 0;
    while (stale < this.#entries.length && this.#entries[stale].at < horizon) stale += 1;
    if (stale > 0) this.#entries.splice(0, stale);
  }
}
