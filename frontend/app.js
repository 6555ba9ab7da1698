// Page entry point: the remote screen fills the window above a status bar that follows it.

import './components/kvm-video.js';
import './components/kvm-status.js';

const video = document.createElement('kvm-video');
video.id = 'screen';

const status = document.createElement('kvm-status');
status.setAttribute('for', video.id);

// The status bar looks its video up when connected, so the video goes in first.
document.body.append(video, status);
