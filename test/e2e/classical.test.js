// The foundation, end to end, on each backend: open the index and the notebook, upload a
// face, change a parameter and see the output change, reload and see it restored, copy the
// link and open it in a fresh browser with the same result.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone, galleryL2 } from './harness.js';
import { testFacePng } from './faceImage.js';

const NB = 'classical-degradations';
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

for (const backend of ['wasm', 'webgpu']) {
	describe(`classical degradations on ${backend}`, () => {
		it('upload → change → reload → link reproduces the state', async () => {
			const { page, context, errors } = await newPage(env.browser);
			await page.goto(`${env.base}/?backend=${backend}`);
			await page.waitForSelector('[data-testid="notebook-card"]');
			assert.ok((await page.$$('[data-testid="notebook-card"]')).length >= 1, 'index lists notebooks');
			await page.goto(`${env.base}/notebooks/${NB}?backend=${backend}`);
			await cellDone(page, 'chart');
			assert.equal(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), backend);
			const synthetic = await galleryL2(page);
			assert.equal(Object.keys(synthetic).length, 7, 'seven degradations');

			// Upload a face image made by the test; detection may crop it or ask for a manual crop.
			await page.setInputFiles('[data-testid="face-file"]', { name: 'test-face.png', mimeType: 'image/png', buffer: testFacePng() });
			await page.waitForFunction(() => document.querySelector('[data-testid="face-label"]')?.textContent?.includes('test-face.png') || document.querySelector('[data-testid="manual-crop"]'), null, { timeout: 120_000 });
			if (await page.$('[data-testid="manual-crop"]')) await page.click('[data-testid="manual-crop-accept"]');
			await page.waitForFunction(() => document.querySelector('[data-testid="face-label"]')?.textContent?.includes('test-face.png'), null, { timeout: 60_000 });
			await cellDone(page, 'chart', 2);
			const uploaded = await galleryL2(page);
			assert.notDeepEqual(uploaded, synthetic, 'the uploaded face changes every output');

			// Change a parameter: the noise output changes, the others do not.
			await page.fill('[aria-label="Noise σ value"]', '20');
			await page.press('[aria-label="Noise σ value"]', 'Enter');
			await cellDone(page, 'chart', 3);
			const noisier = await galleryL2(page);
			assert.ok(noisier['lr-noise'] > uploaded['lr-noise'] * 2, `noise L2 grows (${uploaded['lr-noise']} → ${noisier['lr-noise']})`);
			assert.equal(noisier['lr-bicubic'], uploaded['lr-bicubic']);

			// Reload: everything restored from IndexedDB.
			await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
			await page.reload();
			await cellDone(page, 'chart');
			assert.match(await page.textContent('[data-testid="face-label"]'), /test-face\.png/);
			assert.equal(await page.inputValue('[aria-label="Noise σ value"]'), '20');
			assert.deepEqual(await galleryL2(page), noisier);

			// Copy the link and open it in a fresh browser context (empty IndexedDB).
			await page.click('[data-testid="copy-link"]');
			const link = await page.inputValue('[data-testid="share-link"]');
			assert.match(link, /#s=s1\./);
			const fresh = await newPage(env.browser);
			await fresh.page.goto(link.replace('#', `?backend=${backend}#`));
			await cellDone(fresh.page, 'chart');
			assert.match(await fresh.page.textContent('[data-testid="face-label"]'), /test-face\.png/);
			assert.deepEqual(await galleryL2(fresh.page), noisier, 'the link reproduces every number');
			assert.deepEqual([...errors, ...fresh.errors], []);
			await fresh.context.close();
			await context.close();
		});
	});
}
