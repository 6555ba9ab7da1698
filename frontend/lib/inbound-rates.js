// What the video stream did between two of its inbound-rtp stats reports (WebRTC getStats):
// the cumulative counters become rates and per-frame times.

/**
 * { kbps, jitterBufferMs, decodeMs }: bits received per second, and the mean time a frame
 * spent in the jitter buffer and in the decoder. A figure the two reports cannot give (no
 * frames in between, counters that went back) is null.
 */
export function inboundRates(before, after) {
  const delta = (field) => {
    const change = after[field] - before[field];
    return Number.isFinite(change) && change >= 0 ? change : null;
  };
  const perFrame = (total, frames) => {
    const time = delta(total);
    const count = delta(frames);
    return time !== null && count > 0 ? (1000 * time) / count : null;
  };
  const ms = delta('timestamp');
  const bytes = delta('bytesReceived');
  return {
    kbps: ms > 0 && bytes !== null ? (8 * bytes) / ms : null,
    jitterBufferMs: perFrame('jitterBufferDelay', 'jitterBufferEmittedCount'),
    decodeMs: perFrame('totalDecodeTime', 'framesDecoded'),
  };
}
