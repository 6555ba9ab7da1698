// Screenshots kept after the run, so a person can look at what a user saw.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './daemon.mjs';

export const artifactsDir = join(repoRoot, 'build', 'e2e-artifacts');

export async function keepScreenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
