// What a process holds right now, read from /proc: threads, open files, resident memory.
import { readdirSync, readFileSync } from 'node:fs';

export function processUsage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))[1]);
  return {
    threads: field('Threads'),
    fds: readdirSync(`/proc/${pid}/fd`).length,
    rssKiB: field('VmRSS'),
  };
}
