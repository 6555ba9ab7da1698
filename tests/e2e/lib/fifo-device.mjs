// A FIFO standing in for a /dev/hidgN gadget device: collects every report the daemon writes.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';

export class FifoDevice {
  static make(path) { execFileSync('mkfifo', [path]); }

  // `existing`: open a FIFO made earlier instead of making it.
  constructor(path, reportSize, { existing = false } = {}) {
    if (!existing) FifoDevice.make(path);
    this.path = path;
    this.reportSize = reportSize;
    this.bytes = Buffer.alloc(0);
    // Non-blocking and through libuv's pipe handling, so no thread of node's pool waits on it.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.socket = new Socket({ fd, readable: true, writable: false });
    this.socket.on('data', (chunk) => { this.bytes = Buffer.concat([this.bytes, chunk]); });
  }

  // Reports received so far, as arrays of numbers.
  reports() {
    const out = [];
    for (let at = 0; at + this.reportSize <= this.bytes.length; at += this.reportSize) {
      out.push([...this.bytes.subarray(at, at + this.reportSize)]);
    }
    return out;
  }

  clear() { this.bytes = Buffer.alloc(0); }

  // Waits until `predicate(reports)` holds; data arrives as events, this only bounds the wait.
  async waitFor(predicate, what, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.reports())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.reports())}`);
      }
      await this.#nextData(deadline - Date.now());
    }
    return this.reports();
  }

  // Resolves on the next chunk of data, or after `ms` at the latest.
  #nextData(ms) {
    return new Promise((done) => {
      const finish = () => {
        clearTimeout(timer);
        this.socket.off('data', finish);
        done();
      };
      const timer = setTimeout(finish, Math.max(ms, 0));
      this.socket.on('data', finish);
    });
  }

  close() { this.socket.destroy(); }
}

// Writes bytes into a FIFO the daemon reads (the target's LED output reports).
export function writeToFifo(path, bytes) {
  const fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  writeSync(fd, Buffer.from(bytes));
  closeSync(fd);
}
