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

// What the process holds once it has let go of a freed viewer: its pipeline stops on the
// reaper's thread, so its sockets and threads go a moment after the status counts it freed. A
// leak stays; that moment passes (10 s at most).
export async function settledUsage(pid, start) {
  const settled = (usage) => usage.threads <= start.threads + 2 && usage.fds <= start.fds + 2;
  let end = processUsage(pid);
  for (const deadline = Date.now() + 10000; !settled(end) && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 100));
    end = processUsage(pid);
  }
  return end;
}

// User + system CPU seconds in a /proc stat line; the name in parentheses may hold spaces.
function statCpuSeconds(stat) {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const ticksPerSecond = 100;  // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

// CPU time (user + system) the process has used so far, in seconds.
export function cpuSeconds(pid) {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

// CPU seconds so far of each of the process's threads, by thread id, with the thread's name.
// GStreamer names a streaming thread after the pad it runs from, cut to 15 characters
// ("videotestsrc0:s").
export function threadCpuSeconds(pid) {
  const threads = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue;  // the thread ended after the listing
    }
    threads.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: statCpuSeconds(stat) });
  }
  return threads;
}

// The most resident memory the process has had, in KiB.
export function peakRssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/^VmHWM:\s+(\d+)/m)[1]);
}
