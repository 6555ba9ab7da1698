// Key combinations the local system would keep for itself (Ctrl+Alt+Del, Alt+Tab, …), sent to
// the target from the toolbar instead. Each is pressed like a person would: the keys down in
// order, then up in reverse.
//
// A combination is { id, label, short, codes }: `combo-${id}` is its toolbar button's
// data-action, `short` the button's text.

/** Combinations that act on the target's desktop or session. */
export const SYSTEM_COMBOS = [
  combo('ctrl-alt-del', 'Ctrl+Alt+Del', 'Ctrl+Alt+Del', ['ControlLeft', 'AltLeft', 'Delete']),
  combo('ctrl-alt-backspace', 'Ctrl+Alt+Backspace', 'Ctrl+Alt+⌫', ['ControlLeft', 'AltLeft', 'Backspace']),
  combo('alt-tab', 'Alt+Tab', 'Alt+Tab', ['AltLeft', 'Tab']),
  combo('alt-f4', 'Alt+F4', 'Alt+F4', ['AltLeft', 'F4']),
  combo('meta', 'Win / Meta', 'Win', ['MetaLeft']),
  combo('printscreen', 'PrintScreen', 'PrtSc', ['PrintScreen']),
];

/** Ctrl+Alt+F1 … F12: switch a Linux target between its virtual consoles. */
export const CONSOLE_COMBOS = Array.from({ length: 12 }, (_, i) => {
  const key = `F${i + 1}`;
  return combo(`ctrl-alt-f${i + 1}`, `Ctrl+Alt+${key}`, key, ['ControlLeft', 'AltLeft', key]);
});

export const COMBOS = [...SYSTEM_COMBOS, ...CONSOLE_COMBOS];

function combo(id, label, short, codes) {
  return { id, label, short, codes };
}

/** Sends one combination over a HidLink; returns whether the channel took it. */
export function sendCombo(link, codes) {
  if (link.viewOnly || !link.isOpen) return false;
  for (const code of codes) link.send({ t: 'key', code, down: true });
  for (const code of [...codes].reverse()) link.send({ t: 'key', code, down: false });
  return true;
}
