// The page's estimate of the daemon's clock offset (frontend/lib/clock-offset.js), on made-up
// exchanges: no browser, no daemon.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClockOffset } from '../../frontend/lib/clock-offset.js';

// An exchange with a daemon whose clock is `offset` ahead, read `toDaemon` ms after sending;
// the reply takes `fromDaemon` ms back.
function exchange(estimator, { at, offset, toDaemon, fromDaemon }) {
  return estimator.add(at, at + toDaemon + offset, at + toDaemon + fromDaemon);
}

test('no estimate before the first reply', () => {
  assert.equal(new ClockOffset().estimate, null);
});

test('a symmetric exchange gives the offset exactly, with half the round trip as error', () => {
  const clock = new ClockOffset();
  assert.equal(exchange(clock, { at: 1000, offset: 250, toDaemon: 3, fromDaemon: 3 }), true);
  assert.deepEqual(clock.estimate, { offsetMs: 250, errorMs: 3, roundTripMs: 6 });
});

test('a behind daemon gives a negative offset', () => {
  const clock = new ClockOffset();
  clock.add(10_000, 6_001, 10_002);
  assert.deepEqual(clock.estimate, { offsetMs: -4000, errorMs: 1, roundTripMs: 2 });
});

test('an asymmetric exchange errs by at most half its round trip', () => {
  const clock = new ClockOffset();
  exchange(clock, { at: 0, offset: 100, toDaemon: 9, fromDaemon: 1 });
  const { offsetMs, errorMs } = clock.estimate;
  assert.equal(offsetMs, 104);
  assert.ok(Math.abs(offsetMs - 100) <= errorMs);
});

test('the exchange with the smallest round trip wins, whatever its place', () => {
  const clock = new ClockOffset();
  exchange(clock, { at: 0, offset: 50, toDaemon: 40, fromDaemon: 2 }); // slow, skewed
  exchange(clock, { at: 200, offset: 50, toDaemon: 1, fromDaemon: 1 }); // tight
  exchange(clock, { at: 400, offset: 50, toDaemon: 2, fromDaemon: 30 }); // slow, skewed
  assert.deepEqual(clock.estimate, { offsetMs: 50, errorMs: 1, roundTripMs: 2 });
});

test('on equal round trips the newer exchange wins', () => {
  const clock = new ClockOffset();
  clock.add(0, 10, 4);
  clock.add(1000, 1014, 1004);
  assert.equal(clock.estimate.offsetMs, 12);
});

test('exchanges older than the age limit no longer count', () => {
  const clock = new ClockOffset({ maxAgeMs: 10_000 });
  exchange(clock, { at: 0, offset: 20, toDaemon: 0.5, fromDaemon: 0.5 }); // tight, soon stale
  exchange(clock, { at: 5_000, offset: 30, toDaemon: 4, fromDaemon: 4 });
  assert.equal(clock.estimate.offsetMs, 20, 'still within the age limit');
  exchange(clock, { at: 11_000, offset: 30, toDaemon: 6, fromDaemon: 6 });
  assert.equal(clock.size, 2);
  assert.deepEqual(clock.estimate, { offsetMs: 30, errorMs: 4, roundTripMs: 8 });
  exchange(clock, { at: 30_000, offset: 35, toDaemon: 10, fromDaemon: 10 });
  assert.equal(clock.size, 1, 'the newest exchange always stays');
  assert.equal(clock.estimate.offsetMs, 35);
});

test('no more than the sample limit is kept', () => {
  const clock = new ClockOffset({ maxSamples: 3 });
  exchange(clock, { at: 0, offset: 1, toDaemon: 0, fromDaemon: 0 });
  for (let i = 1; i <= 3; i += 1) exchange(clock, { at: i * 100, offset: 2, toDaemon: 5, fromDaemon: 5 });
  assert.equal(clock.size, 3);
  assert.equal(clock.estimate.offsetMs, 2, 'the perfect first exchange was pushed out');
});

test('impossible exchanges are refused and change nothing', () => {
  const clock = new ClockOffset();
  clock.add(1000, 1500, 1010);
  const before = clock.estimate;
  assert.equal(clock.add(2000, 2500, 1999), false, 'received before sent');
  assert.equal(clock.add(900, 1400, 905), false, 'older than the newest reply');
  assert.equal(clock.add(3000, Number.NaN, 3001), false, 'no daemon time');
  assert.equal(clock.add('3000', 3500, 3001), false, 'not a number');
  assert.deepEqual(clock.estimate, before);
  assert.equal(clock.size, 1);
});
