// Page entry point: a toolbar, the remote screen filling the window, the on-screen keyboard,
// the stats panel and the settings dialog when asked for, and a status bar. The components
// find the screen by id when connected, so the screen goes in first.
//
// The screen connects at once, while the page asks the daemon who is logged in: the role only
// decides what the page offers besides watching, so the video does not wait for it. Until the
// answer, the page only watches.

import './components/kvm-video.js';
import './components/kvm-toolbar.js';
import './components/kvm-osk.js';
import './components/kvm-paste.js';
import './components/kvm-status.js';
import './components/kvm-stats.js';
import './components/kvm-settings.js';
import { canControl, logOut, requireSession } from './lib/session.js';

const video = document.createElement('kvm-video');
video.id = 'screen';
video.viewOnly = true;

const toolbar = document.createElement('kvm-toolbar');
const osk = document.createElement('kvm-osk');
osk.hidden = true;
const paste = document.createElement('kvm-paste');
const status = document.createElement('kvm-status');
const stats = document.createElement('kvm-stats');
const settings = document.createElement('kvm-settings');
for (const element of [toolbar, osk, paste, status, stats]) element.setAttribute('for', video.id);

document.body.append(video);
document.body.prepend(toolbar);
document.body.append(osk, status, paste, stats, settings);

// The panel remembers whether it was open; the button shows what the panel does.
toolbar.statsOpen = stats.open;
toolbar.addEventListener('statstoggle', (event) => {
  stats.open = event.detail.open;
});

// The toolbar offers the keyboard and paste only to a user who may control the target.
toolbar.addEventListener('osktoggle', (event) => {
  osk.hidden = !event.detail.open;
});
toolbar.addEventListener('pasteopen', () => paste.open());
// Only an admin's toolbar offers the settings; the daemon refuses anyone else's changes anyway.
toolbar.addEventListener('settingsopen', () => settings.open());
toolbar.addEventListener('logout', () => logOut());

// A KVM page is there to control the target: keys typed right away should reach it, as soon
// as the daemon has said that this user may.
video.focus({ preventScroll: true });

requireSession().then((session) => {
  if (!session) return;
  toolbar.user = session.user;
  toolbar.role = session.role;
  toolbar.mode = session.mode;
  video.viewOnly = !canControl(session.role);
});
