// The daemon's resident memory on a small board: x264 asks for transparent huge pages for its
// frame buffers, which round each up to whole 2 MB pages. The daemon opts out for itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';

test('the daemon keeps its memory out of transparent huge pages', async () => {
  const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 } }));
  try {
    const status = readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8');
    assert.match(status, /^THP_enabled:\s+0$/m, status);
  } finally {
    assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
  }
});
