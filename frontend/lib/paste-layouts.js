// The keyboard layouts the daemon can paste for (its layouts/ folder), and the one the user
// last chose, remembered in this browser: a target's layout rarely changes.

/** Layout id → name shown. */
export const LAYOUTS = {
  'en-US': 'English (US)',
  'en-GB': 'English (UK)',
  'de-DE': 'German',
  'fr-FR': 'French (AZERTY)',
};

const STORAGE_KEY = 'kvmrtc.paste-layout';

/** The remembered layout, else the browser's language when it is one, else en-US. */
export function loadLayout() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (Object.hasOwn(LAYOUTS, saved)) return saved;
  } catch {
    // Storage can be off (private mode, policies): fall through to the browser's language.
  }
  return navigator.languages.find((language) => Object.hasOwn(LAYOUTS, language)) ?? 'en-US';
}

export function saveLayout(layout) {
  try {
    localStorage.setItem(STORAGE_KEY, layout);
  } catch {
    // Not remembered, then; the choice still holds for this page.
  }
}
