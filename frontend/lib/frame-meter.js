// Measures the frames a <video> element actually presents on screen, as opposed to the frame
// rate the daemon encodes: the difference is what the network and the browser dropped.

export class FrameMeter {
  #video;
  #onFrame;
  #handle = null;
  #presented = 0;
  #sampledPresented = 0;
  #sampledAt = 0;

  /** onFrame(metadata) runs for every presented frame, with its metadata; keep it cheap. */
  constructor(video, onFrame) {
    this.#video = video;
    this.#onFrame = onFrame;
  }

  start() {
    if (this.#handle !== null) return;
    this.#sampledPresented = this.#presented;
    this.#sampledAt = performance.now();
    this.#request();
  }

  stop() {
    if (this.#handle === null) return;
    this.#video.cancelVideoFrameCallback(this.#handle);
    this.#handle = null;
  }

  /** Frames presented per second since the previous sample (or since start). */
  sample() {
    const now = performance.now();
    let frames = this.#presented - this.#sampledPresented;
    // presentedFrames starts again from zero when the element gets a new stream.
    if (frames < 0) frames = this.#presented;
    const seconds = (now - this.#sampledAt) / 1000;
    this.#sampledPresented = this.#presented;
    this.#sampledAt = now;
    return seconds > 0 ? frames / seconds : 0;
  }

  #request() {
    this.#handle = this.#video.requestVideoFrameCallback((_now, metadata) => {
      // presentedFrames also counts frames whose callback was skipped, e.g. when the video
      // runs faster than the display refreshes.
      this.#presented = metadata.presentedFrames;
      this.#request();
      this.#onFrame(metadata);
    });
  }
}
