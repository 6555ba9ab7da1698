// index.html preloads every module of the page, so none waits for the module that imports it.
// A module added without its preload line still works, only slower: this test notices.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './lib/daemon.mjs';

const frontend = join(repoRoot, 'frontend');

function modules(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modules(path);
    return entry.name.endsWith('.js') ? [relative(frontend, path)] : [];
  });
}

test('index.html preloads every module under components/ and lib/', () => {
  const html = readFileSync(join(frontend, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\.\/([^"]+)">/g)].map((m) => m[1]);
  const wanted = [...modules(join(frontend, 'components')), ...modules(join(frontend, 'lib'))];
  assert.deepEqual([...preloaded].sort(), [...wanted].sort());
});
