// Reads back, in the page, the capture time the daemon paints into each frame with
// [video] latency-stamp: 48 bits of milliseconds and a check byte, as 16-pixel black and white
// blocks along the top-left edge (src/media/latency/latency_stamp.hpp).
export const STAMP_LAYOUT = { bits: 56, timeBits: 48, block: 16 };

// An init script (page.addInitScript(installStampReader, STAMP_LAYOUT)): gives the page
// window.readStamp(video), which resolves to the stamp of the frame the <video> shows at the
// call, or null when the stamp does not read (a garbled or half-decoded frame).
// It copies only the stamp's rows out of the frame (WebCodecs VideoFrame.copyTo). Drawing the
// frame onto a canvas instead made Chromium convert all of it to RGB: 7 ms a frame at 1080p
// with one page and 30 ms with four (bench/RESULTS.md), enough to starve the browser under
// measurement.
// `block` may be fractional: the stamp of a picture scaled down on the way (VP8 at 720 lines).
export function installStampReader({ bits, timeBits, block }) {
  // The copied rectangle must fall on whole chroma samples: even sizes.
  const even = (size) => Math.ceil(size / 2) * 2;
  const rect = { x: 0, y: 0, width: even(bits * block), height: even(block) };
  window.readStamp = async (video) => {
    // Taken before the first await, so a later frame cannot slip in.
    const frame = new VideoFrame(video);
    try {
      const pixels = new Uint8Array(frame.allocationSize({ rect }));
      const [{ offset, stride }] = await frame.copyTo(pixels, { rect });
      // The first plane is luma in a YUV frame and interleaved colour in an RGB one; its first
      // byte is high in a white block either way.
      const bytesPerPixel = /^(RGB|BGR)/.test(frame.format) ? 4 : 1;
      const row = offset + Math.floor(block / 2) * stride;
      const bit = (i) =>
        (pixels[row + Math.floor(i * block + block / 2) * bytesPerPixel] > 128 ? 1 : 0);
      let ms = 0;
      for (let i = 0; i < timeBits; i += 1) ms = ms * 2 + bit(i);
      let check = 0;
      for (let i = timeBits; i < bits; i += 1) check = check * 2 + bit(i);
      let sum = 0;
      for (let rest = ms, i = 0; i < timeBits / 8; i += 1, rest = Math.floor(rest / 256)) sum += rest % 256;
      return (~sum & 0xff) === check ? ms : null;
    } finally {
      frame.close();
    }
  };
}
