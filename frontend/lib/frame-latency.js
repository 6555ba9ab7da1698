// Capture-to-display latency of each frame the page shows. The daemon sends every frame's
// capture time in its RTP packets (the abs-capture-time header extension); Chromium hands the
// newest one per stream out through RTCRtpReceiver.getSynchronizationSources(), tagged with its
// RTP timestamp, and requestVideoFrameCallback names the RTP timestamp of the frame on screen.
// Polling the former on every displayed frame and remembering the last few capture times is
// enough to find the displayed frame's own; a frame not found gets no reading rather than a
// neighbour's.

// abs-capture-time counts from 1900-01-01 (the NTP epoch); Chromium reports it in ms.
const NTP_EPOCH_UNIX_MS = 2_208_988_800_000;

// Frames can wait in the jitter buffer, so the displayed one may be older than the newest
// received: about a second of frames covers any wait a usable session has.
const REMEMBERED_FRAMES = 48;

// Chromium hands out a capture time with every frame; a browser that showed this many frames
// without one (Firefox) does not hand them out at all.
const FRAMES_TO_GIVE_UP = 30;

export class FrameLatency {
  #receiver = null;
  #captures = new Map(); // rtpTimestamp → capture time, daemon ms since the Unix epoch
  #available = null;
  #framesWithout = 0;

  /** Whether this browser gives the frames' capture times: null until its frames tell. */
  get available() {
    return this.#available;
  }

  /**
   * For one displayed frame (requestVideoFrameCallback metadata, called from that callback),
   * received through `receiver`, with the daemon's clock `offsetMs` ahead of the page's:
   * { rtpTimestamp, latencyMs, receiveMs } (capture → now, capture → last packet received), or
   * null.
   */
  measure(metadata, receiver, offsetMs) {
    if (receiver !== this.#receiver) {
      // RTP timestamps of another stream mean nothing for this one.
      this.#receiver = receiver;
      this.#captures.clear();
    }
    if (!receiver) return null;
    this.#collect(receiver);
    const captured = this.#captures.get(metadata.rtpTimestamp);
    if (captured === undefined || !Number.isFinite(offsetMs)) return null;
    // On the timebase of performance.now() and of the metadata's times.
    const capturedHere = captured - offsetMs - performance.timeOrigin;
    return {
      rtpTimestamp: metadata.rtpTimestamp,
      // The callback runs in the page's first rendering step after the frame went to the
      // compositor. Chromium's expectedDisplayTime is no better a moment: with the playout-delay
      // extension it is an estimate that runs 2–27 ms past this one (bench/README.md).
      latencyMs: performance.now() - capturedHere,
      receiveMs: metadata.receiveTime === undefined ? null : metadata.receiveTime - capturedHere,
    };
  }

  #collect(receiver) {
    const sources = receiver.getSynchronizationSources();
    if (this.#available === null && sources.length > 0) {
      if (sources.some((source) => Number.isFinite(source.captureTimestamp))) this.#available = true;
      else if (++this.#framesWithout >= FRAMES_TO_GIVE_UP) this.#available = false;
    }
    for (const source of sources) {
      if (!Number.isFinite(source.captureTimestamp) || this.#captures.has(source.rtpTimestamp)) continue;
      this.#captures.set(source.rtpTimestamp, source.captureTimestamp - NTP_EPOCH_UNIX_MS);
      // A Map iterates in insertion order: the first key is the oldest frame.
      if (this.#captures.size > REMEMBERED_FRAMES) {
        this.#captures.delete(this.#captures.keys().next().value);
      }
    }
  }
}
