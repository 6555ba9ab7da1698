// Keyboard and mouse from a real page to the gadget devices (FIFOs here): the exact report
// bytes in order, releases included.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Daemon, testConfig } from './lib/daemon.mjs';
import {
  boundingBox, click, fill, launchBrowser, openViewer, pressKey, selectOption, waitForFunction,
  waitForText, wheel,
} from './lib/browser.mjs';
import { FifoDevice, writeToFifo } from './lib/fifo-device.mjs';
import { keepScreenshot } from './lib/artifacts.mjs';

const NONE = [0, 0, 0, 0, 0, 0, 0, 0];
const key = (modifiers, ...usages) => [modifiers, 0, ...usages, ...Array(6 - usages.length).fill(0)];

let browser;
let daemon;
let page;
let keyboard;
let mouse;
let relative;
let ledsPath;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmrtc-hid-'));
  keyboard = new FifoDevice(join(dir, 'hidg0'), 8);
  mouse = new FifoDevice(join(dir, 'hidg1'), 7);
  relative = new FifoDevice(join(dir, 'hidg2'), 4);
  ledsPath = join(dir, 'leds');
  FifoDevice.make(ledsPath);
  daemon = await Daemon.start(testConfig({
    video: { width: 1280, height: 720 },
    extra: `[hid]\nkeyboard=${keyboard.path}\nmouse=${mouse.path}\n` +
      `mouse-relative=${relative.path}\nkeyboard-leds=${ledsPath}\n`,
  }));
  browser = await launchBrowser();
  page = await openViewer(browser, daemon.url);
  await waitForFunction(page, () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
  await page.click('kvm-video');  // focus: typing now goes to the target
});

after(async () => {
  await browser.close();
  for (const device of [keyboard, mouse, relative]) device.close();
  assert.deepEqual(await daemon.stop(), { code: 0, signal: null }, daemon.log);
});

// Runs `action` and returns the keyboard reports it made, once there are `expectedCount`.
async function keyboardReports(action, expectedCount) {
  keyboard.clear();
  await action();
  return keyboard.waitFor((reports) => reports.length >= expectedCount, `${expectedCount} reports`);
}

test('typing "Hello, World!" writes each key down and up, shifted where needed', async () => {
  const shifted = new Set(['H', 'W', '!']);
  const codes = { H: 'KeyH', e: 'KeyE', l: 'KeyL', o: 'KeyO', ',': 'Comma', ' ': 'Space',
    W: 'KeyW', r: 'KeyR', d: 'KeyD', '!': 'Digit1' };
  const usages = { KeyH: 0x0b, KeyE: 0x08, KeyL: 0x0f, KeyO: 0x12, Comma: 0x36, Space: 0x2c,
    KeyW: 0x1a, KeyR: 0x15, KeyD: 0x07, Digit1: 0x1e };
  const expected = [];
  for (const ch of 'Hello, World!') {
    const usage = usages[codes[ch]];
    if (shifted.has(ch)) expected.push(key(0x02), key(0x02, usage), key(0x02), NONE);
    else expected.push(key(0, usage), NONE);
  }
  const reports = await keyboardReports(async () => {
    for (const ch of 'Hello, World!') {
      if (shifted.has(ch)) await page.keyboard.down('Shift');
      await pressKey(page, codes[ch]);
      if (shifted.has(ch)) await page.keyboard.up('Shift');
    }
  }, expected.length);
  assert.deepEqual(reports, expected);
});

test('Ctrl+Alt+Delete and Shift+arrows hold their modifiers around the key', async () => {
  const reports = await keyboardReports(async () => {
    await page.keyboard.down('Control');
    await page.keyboard.down('Alt');
    await page.keyboard.press('Delete');
    await page.keyboard.up('Alt');
    await page.keyboard.up('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.up('Shift');
  }, 12);
  assert.deepEqual(reports, [
    key(0x01), key(0x05), key(0x05, 0x4c), key(0x05), key(0x01), NONE,
    key(0x02), key(0x02, 0x50), key(0x02), key(0x02, 0x52), key(0x02), NONE,
  ]);
});

test('the Ctrl+Alt+Del menu entry presses and releases the combination', async () => {
  const reports = await keyboardReports(async () => {
    await click(page, 'kvm-toolbar [data-action="combo-ctrl-alt-del"]');
  }, 6);
  assert.deepEqual(reports, [key(0x01), key(0x05), key(0x05, 0x4c), key(0x05), key(0x01), NONE]);
  await page.click('kvm-video');
});

test('a key held when the window loses focus is released', async () => {
  const reports = await keyboardReports(async () => {
    await page.keyboard.down('KeyA');
    await keyboard.waitFor((r) => r.length >= 1, 'key down');
    await page.evaluate(() => window.dispatchEvent(new Event('blur')));
  }, 2);
  assert.deepEqual(reports, [key(0, 0x04), NONE]);
  await page.keyboard.up('KeyA');
  await page.click('kvm-video');
});

test('a click and a scroll in the picture become absolute mouse reports', async () => {
  const box = await boundingBox(page, 'kvm-video');
  mouse.clear();
  const middle = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.click(middle.x, middle.y);
  const clicks = await mouse.waitFor(
    (r) => r.some((report) => report[0] === 1) && r.at(-1)[0] === 0, 'press and release');
  const press = clicks.find((report) => report[0] === 1);
  const x = press[1] | (press[2] << 8);
  const y = press[3] | (press[4] << 8);
  assert.ok(Math.abs(x - 16384) < 400, `x ${x} is not the middle`);
  assert.ok(Math.abs(y - 16384) < 400, `y ${y} is not the middle`);
  assert.deepEqual(clicks.at(-1).slice(0, 5), [0, ...press.slice(1, 5)]);

  mouse.clear();
  await wheel(page, middle, 0, -100);  // one notch away from the user: scroll up
  const scrolled = await mouse.waitFor((r) => r.some((report) => report[5] !== 0), 'a wheel report');
  assert.equal(scrolled.find((report) => report[5] !== 0)[5], 1);
});

test('the target\'s Caps Lock LED shows in the status bar', async () => {
  writeToFifo(ledsPath, [0x02]);
  await waitForFunction(page, () => document.querySelector('kvm-status').getAttribute('leds') === 'caps');
  writeToFifo(ledsPath, [0x00]);
  await waitForFunction(page, () => document.querySelector('kvm-status').getAttribute('leds') === '');
});

test('pasting German text types AltGr characters and the German key positions', async () => {
  keyboard.clear();
  await click(page, 'kvm-toolbar [data-action="open-paste"]');
  await fill(page, 'kvm-paste textarea', 'z@€');
  await selectOption(page, 'kvm-paste select[name="layout"]', 'de-DE');
  await keepScreenshot(page, 'paste-dialog');
  await click(page, 'kvm-paste [data-action="type"]');
  const altGr = 0x40;
  const expected = [key(0, 0x1c), NONE, key(altGr), key(altGr, 0x14), NONE,
    key(altGr), key(altGr, 0x08), NONE];
  const reports = await keyboard.waitFor((r) => r.length >= expected.length, 'the pasted text');
  assert.deepEqual(reports.slice(0, expected.length), expected);
  await waitForText(page, 'kvm-paste [data-role="paste-status"]', /done|typed/i);
});

test('paste refuses characters the layout cannot type, before typing anything', async () => {
  keyboard.clear();
  await fill(page, 'kvm-paste textarea', 'a€b');
  await selectOption(page, 'kvm-paste select[name="layout"]', 'en-US');
  await click(page, 'kvm-paste [data-action="type"]');
  await waitForText(page, 'kvm-paste [data-role="paste-status"]', '€');
  assert.deepEqual(keyboard.reports(), []);
});

test('closing the page releases what its viewer held', async () => {
  const second = await openViewer(browser, daemon.url);
  await waitForFunction(second,
    () => document.querySelector('kvm-status')?.getAttribute('hid') === 'ok');
  await second.click('kvm-video');
  keyboard.clear();
  await second.keyboard.down('ShiftRight');
  await keyboard.waitFor((r) => r.length >= 1, 'shift down');
  await second.close();
  const reports = await keyboard.waitFor((r) => r.length >= 2, 'release on close');
  assert.deepEqual(reports, [key(0x20), NONE]);
});
