// A lost WebGPU device is re-initialised, the person is told, and the cells re-run with
// nothing lost (SwiftShader's WebGPU in Debian's Chromium); a second loss within a minute of the
// recovery leaves WebGPU for wasm instead of looping.
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
	// lost again right away (as when some work crashes the GPU every time): no re-init loop
	const runs2 = Number(await page.getAttribute('[data-testid="cell-gallery"]', 'data-runs'));
	assert.equal(await page.evaluate(() => window.__srlabDebug.simulateDeviceLoss()), true);
	await page.waitForFunction(() => /lost again within a minute/.test(document.querySelector('[data-testid="backend-message"]')?.textContent ?? ''), null, { timeout: 60_000 });
	assert.equal(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), 'wasm');
	assert.match(await page.textContent('[data-testid="backend-message"]'), /switched to wasm so the notebook keeps working/);
	await cellDone(page, 'gallery', runs2 + 1);
	await cellDone(page, 'chart');
	const onWasm = await galleryL2(page);
	for (const [k, v] of Object.entries(before)) assert.ok(Math.abs(onWasm[k] - v) <= 1e-4 * Math.max(1, v), `${k}: ${v} → ${onWasm[k]}`);
	assert.deepEqual(errors, []);
	await context.close();
});
