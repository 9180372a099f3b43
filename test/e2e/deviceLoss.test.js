// A lost WebGPU device is re-initialised, the person is told, and the cells re-run with
// nothing lost (SwiftShader's WebGPU in Debian's Chromium).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone, galleryL2 } from './harness.js';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

it('recovers from a lost WebGPU device', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/classical-degradations?backend=webgpu`);
	await cellDone(page, 'chart');
	const before = await galleryL2(page);
	const runs = Number(await page.getAttribute('[data-testid="cell-gallery"]', 'data-runs'));
	assert.equal(await page.evaluate(() => window.__srlabDebug.simulateDeviceLoss()), true);
	await page.waitForSelector('[data-testid="backend-badge"][data-recoveries="1"][data-status="ready"]', { timeout: 60_000 });
	assert.match(await page.textContent('[data-testid="backend-message"]'), /lost and WebGPU was re-initialised/);
	assert.equal(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), 'webgpu');
	await cellDone(page, 'gallery', runs + 1);
	await cellDone(page, 'chart');
	assert.deepEqual(await galleryL2(page), before, 'same results after recovery');
	assert.deepEqual(errors, []);
	await context.close();
});
