// Starts the real kvmrtc daemon on a config written for the test, and stops it with SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const daemonPath = process.env.KVMRTC_BINARY ?? join(repoRoot, 'build/src/kvmrtc');

// Config text for a daemon on an ephemeral loopback port; `video` adds [video] keys.
export function testConfig({ video = {}, extra = '' } = {}) {
  const videoLines = Object.entries(video).map(([key, value]) => `${key}=${value}`).join('\n');
  return `[server]
address=127.0.0.1
port=0
[video]
${videoLines}
[webrtc]
ice-addresses=127.0.0.1
${extra}`;
}

export class Daemon {
  // `binary`: another program that takes --config and prints "listening on URL" (the
  // benchmark's reference sender). `env`: variables to add to the test's environment.
  static async start(configText, { binary = daemonPath, env = {} } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-e2e-'));
    const configPath = join(dir, 'kvmrtc.conf');
    writeFileSync(configPath, configText);
    return Daemon.run(binary, ['--config', configPath], dir, { env });
  }

  // Runs `command`, the daemon or a program that ends by exec'ing it, with its state under
  // `dir`. `started(daemon)` runs as soon as the process is there, before it listens (a socket
  // activator starts the daemon on the first connection).
  static async run(command, args, dir = mkdtempSync(join(tmpdir(), 'kvmrtc-e2e-')),
    { started, env = {} } = {}) {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STATE_DIRECTORY: dir, ...env },
    });
    const daemon = new Daemon(child, dir);
    const url = daemon.#waitForUrl();
    url.catch(() => {});  // awaited below; an early exit must not count as unhandled first
    await started?.(daemon);
    daemon.url = await url;
    return daemon;
  }

  constructor(child, dir) {
    this.child = child;
    this.dir = dir;
    this.log = '';
    this.logWaiters = new Set();
    child.stderr.on('data', (chunk) => {
      this.log += chunk;
      for (const waiter of this.logWaiters) waiter();
    });
    this.exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  }

  #waitForUrl() {
    return new Promise((done, fail) => {
      let out = '';
      this.child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (\S+)/);
        if (match) done(match[1]);
      });
      this.exited.then(({ code }) => fail(new Error(`daemon exited (${code}) before listening:\n${this.log}`)));
    });
  }

  async status() {
    const response = await fetch(new URL('/api/status', this.url));
    return response.json();
  }

  // Polls /api/status until `predicate` holds; the daemon pushes no event a test could await.
  async waitForStatus(predicate, { timeoutMs = 15000, what = 'status' } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last;
    while (Date.now() < deadline) {
      last = await this.status();
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(last)}\n` +
      `daemon log (end):\n${this.log.slice(-4000)}`);
  }

  // Resolves once the daemon's log matches `pattern`. The log is read from a pipe, so a line
  // the daemon wrote before answering an HTTP request may still be on its way.
  waitForLog(pattern, { timeoutMs = 5000, from = 0 } = {}) {
    return new Promise((done, fail) => {
      const check = () => {
        if (!pattern.test(this.log.slice(from))) return;
        this.logWaiters.delete(check);
        clearTimeout(timer);
        done();
      };
      const timer = setTimeout(() => {
        this.logWaiters.delete(check);
        fail(new Error(`the daemon's log never matched ${pattern}:\n${this.log.slice(-4000)}`));
      }, timeoutMs);
      this.logWaiters.add(check);
      check();
    });
  }

  // The environment that has GStreamer's leaks tracer follow `types` (comma-separated) and list
  // the live ones on SIGUSR1.
  static leaksTracerEnv(types) {
    return {
      GST_TRACERS: `leaks(filters="${types}")`,
      GST_LEAKS_TRACER_SIG: '1',
      GST_DEBUG: 'GST_TRACER:7',
      GST_DEBUG_NO_COLOR: '1',
    };
  }

  // Has the tracer list the live objects twice and counts `type`'s lines in both. The one live
  // GstWebRTCBin (a steady viewer's) is in each listing: once it shows twice, the first listing
  // is whole. Only this call's listings count, so one call may follow another.
  async countLiveObjects(type) {
    const line = (name) => `object-alive, type-name=\\(string\\)${name},`;
    const from = this.log.length;
    this.child.kill('SIGUSR1');
    await this.waitForLog(new RegExp(line('GstWebRTCBin')), { from });
    this.child.kill('SIGUSR1');
    await this.waitForLog(new RegExp(`(${line('GstWebRTCBin')}[^]*){2}`), { from });
    return this.log.slice(from).match(new RegExp(line(type), 'g'))?.length ?? 0;
  }

  async stop(signal = 'SIGTERM') {
    if (this.child.exitCode === null) this.child.kill(signal);
    const result = await this.exited;
    if (process.env.KVMRTC_SANITIZED) this.#assertSanitizerClean(result);
    return result;
  }

  // The sanitizer build (scripts/test-sanitized.sh): whatever a test did, the daemon must end
  // without an ASan, UBSan or LeakSanitizer report.
  #assertSanitizerClean({ code }) {
    const report = this.log.match(/^.*(ERROR: (Address|Leak)Sanitizer|runtime error:).*$/m);
    if (report) {
      const at = report ? this.log.indexOf(report[0]) : Math.max(0, this.log.length - 8000);
      throw new Error(`the daemon's sanitizer report (exit ${code}):\n${this.log.slice(at, at + 8000)}`);
    }
  }
}
