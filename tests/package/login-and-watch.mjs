// The installed service, reached as a user reaches it: http://127.0.0.1/ redirects to HTTPS,
// and headless Chromium, told to accept the device's own certificate, logs in as `admin` with
// the password postinst made and plays the picture; then it saves a new bitrate as the settings
// dialog does, which the service (that cannot write /etc) keeps in its settings file. Run by
// tests/package/check-install.sh.
//   node login-and-watch.mjs PASSWORD
import assert from 'node:assert/strict';
import { launchBrowser, measureFrames } from '../e2e/lib/browser.mjs';
import { httpRequest, logInThroughPage } from '../e2e/lib/users.mjs';

const [password] = process.argv.slice(2);
assert.ok(password, 'usage: login-and-watch.mjs PASSWORD');
const base = 'https://127.0.0.1/';

const plain = await httpRequest('http://127.0.0.1/');
assert.equal(plain.status, 308);
assert.equal(plain.headers.location, base);

const browser = await launchBrowser({ ignoreCertificateErrors: true });
try {
  const page = await logInThroughPage(browser, base, 'admin', password);
  const { width, height, fps } = await measureFrames(page, 3000);
  console.log(`# logged in as admin over HTTPS: ${width}x${height} at ${fps.toFixed(1)} fps`);
  assert.ok(fps >= 10, `only ${fps.toFixed(1)} fps`);
  const who = await page.$eval('kvm-toolbar', (bar) => bar.shadowRoot.textContent);
  assert.match(who, /admin/);

  const saved = await page.evaluate(async () => {
    const response = await fetch('/api/settings/video', {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"bitrate": 3100}',
    });
    return { status: response.status, body: await response.text() };
  });
  assert.equal(saved.status, 200, saved.body);
  const status = await page.evaluate(async () => (await fetch('/api/status')).json());
  assert.equal(status.video.bitrate_kbps, 3100);
  console.log('# the settings dialog\'s bitrate 3100 kbit/s saved and applied');
} finally {
  await browser.close();
}
