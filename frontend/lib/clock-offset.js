// How far the daemon's wall clock is ahead of this page's, from `clock` exchanges on the
// signaling socket (docs/protocol.md), the way NTP does it: the daemon read its clock some time
// between sending and receiving, so with `sent` and `received` on the page's clock,
//   offset = daemon − (sent + received) / 2,  off by at most half the round trip.
// The sample with the shortest round trip bounds the error best. Samples age out because the
// two clocks drift apart slowly (a few ms a minute is ordinary), so an old sample, however
// tight, stops describing the clocks of now.
//
// Pure: no DOM, no timers; the caller supplies every time (ms).

export const DEFAULT_MAX_AGE_MS = 60_000;
export const DEFAULT_MAX_SAMPLES = 32;

export class ClockOffset {
  #maxAgeMs;
  #maxSamples;
  #samples = []; // { offsetMs, roundTripMs, received }, oldest first
  #best = null;

  constructor({ maxAgeMs = DEFAULT_MAX_AGE_MS, maxSamples = DEFAULT_MAX_SAMPLES } = {}) {
    this.#maxAgeMs = maxAgeMs;
    this.#maxSamples = maxSamples;
  }

  /**
   * One exchange: `sent` and `received` on the page's clock, `daemon` the daemon's reading.
   * Returns false, and changes nothing, for a sample that cannot be right (a negative round
   * trip, or a reply received before a newer one already was).
   */
  add(sent, daemon, received) {
    if (![sent, daemon, received].every(Number.isFinite)) return false;
    const roundTripMs = received - sent;
    if (roundTripMs < 0) return false;
    const newest = this.#samples.at(-1);
    if (newest && received < newest.received) return false;
    this.#samples.push({ offsetMs: daemon - (sent + received) / 2, roundTripMs, received });
    const horizon = received - this.#maxAgeMs;
    while (this.#samples.length > this.#maxSamples || this.#samples[0].received < horizon) {
      this.#samples.shift();
    }
    // On a tie the newer sample wins: it has drifted less.
    this.#best = this.#samples.reduce((a, b) => (b.roundTripMs <= a.roundTripMs ? b : a));
    return true;
  }

  /** { offsetMs, errorMs, roundTripMs } from the tightest recent sample; null before any. */
  get estimate() {
    const best = this.#best;
    if (!best) return null;
    return { offsetMs: best.offsetMs, errorMs: best.roundTripMs / 2, roundTripMs: best.roundTripMs };
  }

  /** How many samples the estimate currently chooses from. */
  get size() {
    return this.#samples.length;
  }
}
