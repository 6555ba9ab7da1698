// Fullscreen for the whole page, with the keyboard locked while it lasts: only then do
// browsers let a page have Escape, Alt+Tab and the like, so they reach the target.
// (Leaving takes a long press of Escape, as the browser tells.)

export function isFullscreen() {
  return document.fullscreenElement !== null;
}

export async function toggleFullscreen(element = document.documentElement) {
  if (isFullscreen()) {
    await document.exitFullscreen();
    return;
  }
  await element.requestFullscreen({ navigationUI: 'hide' });
  try {
    await navigator.keyboard?.lock();
  } catch (error) {
    console.info('kvmrtc: keyboard lock unavailable; the browser keeps Escape:', error.message);
  }
}

/**
 * Calls onChange(isFullscreen) on every change, releasing the keyboard lock on leaving.
 * Returns a function that stops watching.
 */
export function watchFullscreen(onChange) {
  const listener = () => {
    if (!isFullscreen()) navigator.keyboard?.unlock();
    onChange(isFullscreen());
  };
  document.addEventListener('fullscreenchange', listener);
  return () => document.removeEventListener('fullscreenchange', listener);
}
