// Where a video's picture sits inside its element, and pointer positions in that picture.
// No DOM here: plain numbers in, plain numbers out.

/**
 * The rectangle the picture fills inside `box` (the element's client rect) under
 * `object-fit: contain`: scaled to fit, centred, with bars on two sides. Without a known
 * picture size (no frame yet, or no signal) the whole box stands for the picture.
 */
export function pictureRect(box, pictureWidth, pictureHeight) {
  if (!(pictureWidth > 0 && pictureHeight > 0)) return box;
  const scale = Math.min(box.width / pictureWidth, box.height / pictureHeight);
  const width = pictureWidth * scale;
  const height = pictureHeight * scale;
  return {
    left: box.left + (box.width - width) / 2,
    top: box.top + (box.height - height) / 2,
    width,
    height,
  };
}

/**
 * A client position as fractions 0..1 of `rect`. Positions over the bars or outside
 * (a drag that left the element) clamp to the nearest edge.
 */
export function positionIn(rect, clientX, clientY) {
  return {
    x: fraction(clientX - rect.left, rect.width),
    y: fraction(clientY - rect.top, rect.height),
  };
}

// Six decimals resolve far finer than the gadget's 0..32767 and keep messages short.
function fraction(offset, size) {
  if (!(size > 0)) return 0;
  const value = Math.min(Math.max(offset / size, 0), 1);
  return Math.round(value * 1e6) / 1e6;
}
