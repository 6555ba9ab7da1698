// Page entry point: a toolbar, the remote screen filling the window, the on-screen keyboard
// when asked for, and a status bar. The components find the screen by id when connected, so
// the screen goes in first.

import './components/kvm-video.js';
import './components/kvm-toolbar.js';
import './components/kvm-osk.js';
import './components/kvm-paste.js';
import './components/kvm-status.js';

const video = document.createElement('kvm-video');
video.id = 'screen';

const toolbar = document.createElement('kvm-toolbar');
const osk = document.createElement('kvm-osk');
osk.hidden = true;
const paste = document.createElement('kvm-paste');
const status = document.createElement('kvm-status');
for (const element of [toolbar, osk, paste, status]) element.setAttribute('for', video.id);

document.body.append(video);
document.body.prepend(toolbar);
document.body.append(osk, status, paste);

toolbar.addEventListener('osktoggle', (event) => {
  osk.hidden = !event.detail.open;
});
toolbar.addEventListener('pasteopen', () => paste.open());

// A KVM page is there to control the target: keys typed right away should reach it.
video.focus({ preventScroll: true });
