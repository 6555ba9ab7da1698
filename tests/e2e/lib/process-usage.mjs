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

// CPU time (user + system) the process has used so far, in seconds.
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100;  // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

// The most resident memory the process has had, in KiB.
export function peakRssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/^VmHWM:\s+(\d+)/m)[1]);
}
