// A capture device of its own process: a live test pattern written to a shared-memory socket,
// which the daemon reads with `shmSourceFragment`. Killing the process is pulling the cable.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export const shmCaps = 'video/x-raw,format=I420,width=640,height=360,framerate=30/1';

export function shmSourceFragment(socketPath) {
  return `shmsrc socket-path=${socketPath} is-live=true do-timestamp=true ! ${shmCaps}`;
}

// The writer process; `.exited` resolves when it has gone.
export function startShmSource(socketPath) {
  rmSync(socketPath, { force: true });
  const writer = spawn('gst-launch-1.0', ['-q', 'videotestsrc', 'is-live=true', 'pattern=ball',
    '!', shmCaps, '!', 'shmsink', `socket-path=${socketPath}`, 'wait-for-connection=false',
    'shm-size=20000000', 'sync=true'], { stdio: 'ignore' });
  writer.exited = new Promise((done) => writer.on('exit', done));
  return writer;
}
