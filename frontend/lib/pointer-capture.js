// Sends the mouse over an element to the target: absolute positions inside the displayed
// picture (`abs`), or in relative mode the raw movement under pointer lock (`rel`), plus
// buttons and wheel notches. Movement goes out at most once per animation frame, a button
// change at once.
//
// Events:
//   modechange   detail: { relative } after the mode changed, or a request for it failed

import { pictureRect, positionIn } from './picture-geometry.js';
import { RelativeMotion } from './relative-motion.js';
import { WheelNotches } from './wheel-notches.js';

// PointerEvent.buttons already uses the protocol's bits: left, right, middle, back, forward.
const BUTTON_BITS = 0x1f;

// Default actions of the mouse over the screen that would act on the page instead of the
// target: the context menu, text selection, middle-click autoscroll, back/forward navigation.
const SUPPRESSED = ['contextmenu', 'mousedown', 'mouseup', 'auxclick', 'dragstart'];

export class PointerCapture extends EventTarget {
  #element;
  #video;
  #link;
  #relative = false;
  #buttons = 0;
  #position = null; // { x, y } last seen over the picture
  #sent = null; // the position last sent
  #motion = new RelativeMotion();
  #wheel = new WheelNotches();
  #frame = 0;
  #onPointer = (event) => this.#onPointerEvent(event);
  #onPointerDown = (event) => {
    // A drag that leaves the element keeps reporting, clamped to the picture's edge.
    if (!this.#relative) this.#element.setPointerCapture(event.pointerId);
    this.#onPointerEvent(event);
  };
  #onWheel = (event) => this.#onWheelEvent(event);
  #onLockChange = () => {
    const locked = document.pointerLockElement === this.#element;
    if (locked !== this.#relative) this.#switchMode(locked);
  };
  #onLockError = () => this.#emitMode();
  #onRelease = () => {
    this.#buttons = 0;
    this.#sent = null;
    this.#motion.clear();
    this.#wheel.clear();
  };

  /** element receives the pointer; video is the <video> inside it showing the picture. */
  constructor(element, video, link) {
    super();
    this.#element = element;
    this.#video = video;
    this.#link = link;
  }

  get relative() {
    return this.#relative;
  }

  start() {
    this.#element.addEventListener('pointerdown', this.#onPointerDown);
    this.#element.addEventListener('pointermove', this.#onPointer);
    this.#element.addEventListener('pointerup', this.#onPointer);
    this.#element.addEventListener('pointercancel', this.#onPointer);
    this.#element.addEventListener('wheel', this.#onWheel, { passive: false });
    for (const type of SUPPRESSED) this.#element.addEventListener(type, preventDefault);
    document.addEventListener('pointerlockchange', this.#onLockChange);
    document.addEventListener('pointerlockerror', this.#onLockError);
    this.#link.addEventListener('release', this.#onRelease);
  }

  stop() {
    this.#element.removeEventListener('pointerdown', this.#onPointerDown);
    this.#element.removeEventListener('pointermove', this.#onPointer);
    this.#element.removeEventListener('pointerup', this.#onPointer);
    this.#element.removeEventListener('pointercancel', this.#onPointer);
    this.#element.removeEventListener('wheel', this.#onWheel);
    for (const type of SUPPRESSED) this.#element.removeEventListener(type, preventDefault);
    document.removeEventListener('pointerlockchange', this.#onLockChange);
    document.removeEventListener('pointerlockerror', this.#onLockError);
    this.#link.removeEventListener('release', this.#onRelease);
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    if (this.#relative) document.exitPointerLock();
  }

  /** Relative mode needs pointer lock, which the browser grants only during a user gesture. */
  async setRelative(relative) {
    if (!relative) {
      if (document.pointerLockElement === this.#element) document.exitPointerLock();
      return;
    }
    try {
      await lockPointer(this.#element);
    } catch (error) {
      console.warn('kvmrtc: no pointer lock for relative mouse mode:', error.message);
      this.#emitMode();
    }
  }

  #onPointerEvent(event) {
    if (this.#relative) this.#motion.add(event.movementX, event.movementY);
    else this.#position = this.#positionOf(event);
    const buttons = event.buttons & BUTTON_BITS;
    if (buttons === this.#buttons) {
      this.#schedule();
      return;
    }
    // Movement gathered so far happened with the old buttons.
    if (this.#relative) this.#sendRelative(false);
    this.#buttons = buttons;
    this.#sendPointer(true);
  }

  #onWheelEvent(event) {
    event.preventDefault();
    if (!this.#relative) this.#position = this.#positionOf(event);
    this.#wheel.add(event, this.#video.clientHeight, event.timeStamp);
    this.#schedule();
  }

  #positionOf(event) {
    const video = this.#video;
    const rect = pictureRect(video.getBoundingClientRect(), video.videoWidth, video.videoHeight);
    return positionIn(rect, event.clientX, event.clientY);
  }

  #schedule() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#sendPointer(false);
      this.#sendWheel();
    });
  }

  /** force: send even without movement, e.g. for a button change. */
  #sendPointer(force) {
    if (this.#relative) this.#sendRelative(force);
    else this.#sendAbsolute(force);
  }

  #sendAbsolute(force) {
    const position = this.#position;
    if (!position) return;
    if (!force && position.x === this.#sent?.x && position.y === this.#sent?.y) return;
    const message = { t: 'abs', x: position.x, y: position.y, buttons: this.#buttons };
    if (this.#link.send(message)) this.#sent = position;
  }

  #sendRelative(force) {
    const steps = this.#motion.take();
    if (steps.length === 0 && force) steps.push({ dx: 0, dy: 0 });
    for (const { dx, dy } of steps) {
      this.#link.send({ t: 'rel', dx, dy, buttons: this.#buttons });
    }
  }

  #sendWheel() {
    const { dx, dy } = this.#wheel.take();
    if (dx === 0 && dy === 0) return;
    this.#link.send({ t: 'wheel', dy, dx, mode: this.#relative ? 'rel' : 'abs' });
  }

  #switchMode(relative) {
    // Each mode drives its own mouse on the target: lift what the old one holds.
    if (this.#buttons !== 0) {
      this.#buttons = 0;
      this.#sendPointer(true);
    }
    this.#motion.clear();
    this.#wheel.clear();
    this.#sent = null;
    this.#relative = relative;
    this.#emitMode();
  }

  #emitMode() {
    this.dispatchEvent(new CustomEvent('modechange', { detail: { relative: this.#relative } }));
  }
}

function preventDefault(event) {
  event.preventDefault();
}

// Raw movement leaves pointer acceleration to the target alone instead of applying it twice.
async function lockPointer(element) {
  try {
    await element.requestPointerLock({ unadjustedMovement: true });
  } catch (error) {
    if (error.name !== 'NotSupportedError') throw error;
    await element.requestPointerLock();
  }
}
