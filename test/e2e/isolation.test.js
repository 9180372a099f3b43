// Cross-origin isolation (issue 16 part 4): scripts/serve.js sends COOP/COEP, so the page is
// crossOriginIsolated and tfjs wasm runs its SIMD + threads build on more than one thread, in
// the page and in the SR-NAM search worker; a notebook computes there as before.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone } from './harness.js';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

it('is cross-origin isolated and runs wasm on more than one thread', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/progressive-growth?backend=wasm`);
	for (const id of ['model', 'latent', 'growth']) await cellDone(page, id, 1, 90_000);
	assert.equal(await page.evaluate(() => crossOriginIsolated), true);
	const cores = await page.evaluate(() => navigator.hardwareConcurrency);
	const threads = Number(await page.getAttribute('[data-testid="backend-threads"]', 'data-threads'));
	assert.ok(cores < 2 || threads > 1, `wasm threads: ${threads} on ${cores} cores`);
	assert.match(await page.textContent('[data-testid="backend-badge"]'), new RegExp(`${threads} threads`));
	const sizes = await page.$$eval('[data-testid^="growth-"][data-size]', (els) => els.map((e) => Number(e.getAttribute('data-size'))));
	assert.deepEqual(sizes, [4, 8, 16, 32, 64]);
	assert.deepEqual(errors, []);
	await context.close();
});

it('runs one thread when the address asks for it (?threads=1), still isolated', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/progressive-growth?backend=wasm&threads=1`);
	await cellDone(page, 'model', 1, 90_000);
	assert.equal(await page.evaluate(() => crossOriginIsolated), true);
	assert.equal(await page.getAttribute('[data-testid="backend-threads"]', 'data-threads'), '1');
	assert.deepEqual(errors, []);
	await context.close();
});
