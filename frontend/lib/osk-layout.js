// The on-screen keyboard's keys: a US (ANSI) tenkeyless layout by KeyboardEvent.code, the
// code the target gets. Widths are in key units; every row adds up to ROW_UNITS so the
// columns line up on a grid.

export const ROW_UNITS = 18.5;

/** Keys that latch on the on-screen keyboard until the next other key is pressed. */
export const MODIFIERS = new Set([
  'ShiftLeft', 'ShiftRight', 'ControlLeft', 'ControlRight',
  'AltLeft', 'AltRight', 'MetaLeft', 'MetaRight',
]);

const key = (code, label, width = 1, shifted = '') => ({ code, label, width, shifted });
const gap = (width) => ({ code: '', width });
const letters = (row) => [...row].map((c) => key(`Key${c}`, c));
const functionKeys = (from, to) => {
  const keys = [];
  for (let n = from; n <= to; n += 1) keys.push(key(`F${n}`, `F${n}`));
  return keys;
};

/** Rows of { code, label, shifted, width }; an empty code is a gap. */
export const ROWS = [
  [
    key('Escape', 'Esc'), gap(1),
    ...functionKeys(1, 4), gap(0.5), ...functionKeys(5, 8), gap(0.5), ...functionKeys(9, 12),
    gap(0.5), key('PrintScreen', 'PrtSc'), key('ScrollLock', 'ScrLk'), key('Pause', 'Pause'),
  ],
  [
    key('Backquote', '`', 1, '~'),
    ...[...'1234567890'].map((d, i) => key(`Digit${d}`, d, 1, '!@#$%^&*()'[i])),
    key('Minus', '-', 1, '_'), key('Equal', '=', 1, '+'), key('Backspace', 'Backspace', 2),
    gap(0.5), key('Insert', 'Ins'), key('Home', 'Home'), key('PageUp', 'PgUp'),
  ],
  [
    key('Tab', 'Tab', 1.5), ...letters('QWERTYUIOP'),
    key('BracketLeft', '[', 1, '{'), key('BracketRight', ']', 1, '}'),
    key('Backslash', '\\', 1.5, '|'),
    gap(0.5), key('Delete', 'Del'), key('End', 'End'), key('PageDown', 'PgDn'),
  ],
  [
    key('CapsLock', 'Caps', 1.75), ...letters('ASDFGHJKL'),
    key('Semicolon', ';', 1, ':'), key('Quote', "'", 1, '"'), key('Enter', 'Enter', 2.25),
    gap(3.5),
  ],
  [
    key('ShiftLeft', 'Shift', 2.25), ...letters('ZXCVBNM'),
    key('Comma', ',', 1, '<'), key('Period', '.', 1, '>'), key('Slash', '/', 1, '?'),
    key('ShiftRight', 'Shift', 2.75),
    gap(1.5), key('ArrowUp', '↑'), gap(1),
  ],
  [
    key('ControlLeft', 'Ctrl', 1.25), key('MetaLeft', 'Meta', 1.25), key('AltLeft', 'Alt', 1.25),
    key('Space', '', 6.25), key('AltRight', 'AltGr', 1.25), key('MetaRight', 'Meta', 1.25),
    key('ContextMenu', 'Menu', 1.25), key('ControlRight', 'Ctrl', 1.25),
    gap(0.5), key('ArrowLeft', '←'), key('ArrowDown', '↓'), key('ArrowRight', '→'),
  ],
];

/** Keys that show one of the target's LEDs, by code. */
export const LED_KEYS = { CapsLock: 'caps', ScrollLock: 'scroll' };
