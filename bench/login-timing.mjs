// How long a login takes to fail for a known user with a wrong password and for a name that
// does not exist: if the two differed, an attacker could list the users by timing. Rounds of
// (known user, wrong password), (unknown name, any password), (known user, right password);
// the right one forgives the failures, so the rate limit never steps in. Timed from the
// request's first byte to the answer's last, over loopback.
import { Daemon, testConfig } from '../tests/e2e/lib/daemon.mjs';
import { addUser, apiLogin, authSection, usersFilePath } from '../tests/e2e/lib/users.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const file = usersFilePath();
addUser(file, 'alice', 'operator', 'alice-password-1');
const daemon = await Daemon.start(testConfig({ video: { width: 640, height: 360 }, extra: authSection(file) }));
const times = { 'known user, wrong password': [], 'unknown user': [], 'known user, right password': [] };
async function timed(kind, user, password, expected) {
  const started = performance.now();
  const answer = await apiLogin(daemon.url, user, password);
  const elapsed = performance.now() - started;
  if (answer.status !== expected) throw new Error(`${kind}: ${answer.status} ${answer.body}`);
  times[kind].push(elapsed);
}
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    await timed('known user, wrong password', 'alice', `wrong-${round}`, 401);
    await timed('unknown user', `nobody-${round}`, `wrong-${round}`, 401);
    await timed('known user, right password', 'alice', 'alice-password-1', 200);
  }
} finally {
  await daemon.stop();
}
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
console.log(`POST /api/login, ${ROUNDS} of each, ms`);
console.log('| attempt | median | p95 | min | max |\n|---|---|---|---|---|');
for (const [kind, samples] of Object.entries(times)) {
  const sorted = [...samples].sort((a, b) => a - b);
  const cells = [0.5, 0.95].map((q) => quantile(sorted, q)).concat(sorted[0], sorted.at(-1));
  console.log(`| ${kind} | ${cells.map((ms) => ms.toFixed(1)).join(' | ')} |`);
}
