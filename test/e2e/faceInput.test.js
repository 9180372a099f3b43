// Own images: a non-image and a truncated file get clear messages and lose nothing; an image
// with no face offers a manual crop; the camera (Chromium's fake device) works end to end.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone, galleryL2 } from './harness.js';
import { encodePng } from './png.js';
import { testFacePng } from './faceImage.js';

const NB = 'classical-degradations';
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

async function open(backend = 'wasm') {
	const p = await newPage(env.browser);
	await p.page.goto(`${env.base}/notebooks/${NB}?backend=${backend}`);
	await cellDone(p.page, 'chart');
	return p;
}

it('refuses a non-image and a truncated image with a message, keeping the current face', async () => {
	const { page, context, errors } = await open();
	const before = await galleryL2(page);
	await page.setInputFiles('[data-testid="face-file"]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') });
	await page.waitForSelector('[data-testid="face-error"]');
	assert.match(await page.textContent('[data-testid="face-error"]'), /not an image/);
	const png = testFacePng();
	await page.setInputFiles('[data-testid="face-file"]', { name: 'cut.png', mimeType: 'image/png', buffer: png.subarray(0, Math.floor(png.length / 3)) });
	await page.waitForFunction(() => /truncated|corrupted/.test(document.querySelector('[data-testid="face-error"]')?.textContent ?? ''));
	assert.match(await page.textContent('[data-testid="face-label"]'), /Synthetic face/);
	assert.deepEqual(await galleryL2(page), before);
	assert.deepEqual(errors, []);
	await context.close();
});

it('offers a manual crop when no face is found, driven by the keyboard', async () => {
	const { page, context } = await open();
	const w = 200, h = 120;
	const rgb = new Uint8Array(w * h * 3);
	for (let i = 0; i < rgb.length; i += 3) rgb.set([(i / 3) % w, 90, 160], i);
	await page.setInputFiles('[data-testid="face-file"]', { name: 'gradient.png', mimeType: 'image/png', buffer: encodePng(w, h, rgb) });
	await page.waitForSelector('[data-testid="manual-crop"]', { timeout: 60_000 });
	assert.match(await page.textContent('.manual'), /No face was found/);
	await page.focus('[data-testid="manual-crop"]');
	await page.keyboard.press('ArrowRight');
	await page.keyboard.press('-');
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('[data-testid="face-label"]')?.textContent?.includes('gradient.png'));
	await cellDone(page, 'chart', 2);
	await context.close();
});

it('takes a photo with the camera', async () => {
	const { page, context } = await open();
	await context.grantPermissions(['camera']);
	await page.click('text=Use camera');
	await page.waitForSelector('video.camera');
	await page.waitForFunction(() => document.querySelector('video.camera')?.readyState >= 2, null, { timeout: 30_000 });
	await page.click('text=Take photo');
	// Chromium's fake camera shows no face, so the manual crop opens.
	await page.waitForSelector('[data-testid="manual-crop"]', { timeout: 60_000 });
	await page.click('[data-testid="manual-crop-accept"]');
	await page.waitForFunction(() => document.querySelector('[data-testid="face-label"]')?.textContent?.includes('Camera photo'));
	await context.close();
});
