// Issue 8, failures under a running notebook: a full disk while autosaving, WebGPU missing or
// its adapter gone when the device is re-created, and weights that are missing, truncated or
// altered. Each gets a message; the work in memory, the other cells and notebooks carry on.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, newPage, cellDone, galleryL2 } from './harness.js';

const NB = 'classical-degradations';
const BUILD = process.env.SRLAB_BUILD_DIR ?? 'build';
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

async function setNumber(page, label, value) {
	await page.fill(`[aria-label="${label} value"]`, String(value));
	await page.press(`[aria-label="${label} value"]`, 'Enter');
}

it('storage full while autosaving: a message, the state kept in memory, saved once space frees', async () => {
	const { page, context, errors } = await newPage(env.browser);
	// A switchable full disk: IndexedDB writes throw QuotaExceededError while __diskFull is set.
	await page.addInitScript(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (...args) {
			if (window.__diskFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return put.apply(this, args);
		};
	});
	await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
	await cellDone(page, 'chart');
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
	const runs = Number(await page.getAttribute('[data-testid="cell-chart"]', 'data-runs'));
	await page.evaluate(() => (window.__diskFull = true));
	await setNumber(page, 'JPEG quality', 55);
	await page.waitForSelector('[data-testid="save-status"][data-status="error"]', { timeout: 30_000 });
	assert.match(await page.textContent('[data-testid="save-status"]'), /storage for this site is full.*kept in this tab/);
	await cellDone(page, 'chart', runs + 1); // the notebook keeps working on the unsaved state
	assert.equal(await page.inputValue('[aria-label="JPEG quality value"]'), '55');
	await page.evaluate(() => (window.__diskFull = false));
	// The autosaver retries on a timer (5 s) without another change.
	await page.waitForSelector('[data-testid="save-status"][data-status="saved"]', { timeout: 30_000 });
	await page.reload();
	await cellDone(page, 'chart');
	assert.equal(await page.inputValue('[aria-label="JPEG quality value"]'), '55', 'the retried save stored it');
	assert.deepEqual(errors, []);
	await context.close();
});

it('no WebGPU in the browser: falls back with a sentence saying why, and the notebook runs', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.addInitScript(() => delete Navigator.prototype.gpu);
	await page.goto(`${env.base}/notebooks/${NB}?backend=webgpu`);
	await cellDone(page, 'chart');
	assert.notEqual(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), 'webgpu');
	assert.match(await page.textContent('[data-testid="backend-message"]'), /WebGPU could not start \(.*no navigator\.gpu.*\), so srlab runs on/);
	assert.deepEqual(errors, []);
	await context.close();
});

it('WebGPU adapter gone when the lost device is re-created: switches backend, says so, re-runs with the same results', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/${NB}?backend=webgpu`);
	await cellDone(page, 'chart');
	assert.equal(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), 'webgpu');
	const before = await galleryL2(page);
	const runs = Number(await page.getAttribute('[data-testid="cell-gallery"]', 'data-runs'));
	await page.evaluate(() => {
		GPU.prototype.requestAdapter = async () => null; // the adapter went away with the device
		return window.__srlabDebug.simulateDeviceLoss();
	});
	await page.waitForFunction(() => /could not be re-initialised/.test(document.querySelector('[data-testid="backend-message"]')?.textContent ?? ''), null, { timeout: 60_000 });
	const backend = await page.getAttribute('[data-testid="backend-badge"]', 'data-backend');
	assert.notEqual(backend, 'webgpu');
	assert.match(await page.textContent('[data-testid="backend-message"]'), new RegExp(`switched to ${backend}`));
	await cellDone(page, 'gallery', runs + 1);
	await cellDone(page, 'chart');
	const after = await galleryL2(page);
	for (const [k, v] of Object.entries(before)) assert.ok(Math.abs(after[k] - v) <= 1e-4 * Math.max(1, v), `${k}: ${v} → ${after[k]}`);
	assert.deepEqual(errors, []);
	await context.close();
});

const HAVE_WEIGHTS = existsSync(join(BUILD, 'weights/degrader/model.json')) && existsSync(join(BUILD, 'weights/progan/model.json'));
const weightCases = [
	['missing (404)', (name) => (name === 'model.json' ? null : undefined), /degrader weights: fetching .*model\.json failed: HTTP 404/],
	['truncated', (name, b) => (name.endsWith('.bin') ? b.subarray(0, b.length >> 1) : b), /degrader weights: shard .* has \d+ bytes, expected \d+/],
	['altered (sha256)', (name, b) => (name.endsWith('.bin') ? Buffer.from(b).fill(0, 100, 104) : b), /degrader weights: shard .* failed its sha256 check/]
];
for (const [what, tamper, message] of weightCases) {
	it(`degrader weights ${what}: the degrader cell names the model, the generator loads, other notebooks work`, { skip: HAVE_WEIGHTS ? false : `no weights in ${BUILD}/weights` }, async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.route('**/weights/degrader/*', async (route) => {
			const name = new URL(route.request().url()).pathname.split('/').pop();
			const file = join(BUILD, 'weights/degrader', name);
			const body = existsSync(file) ? tamper(name, readFileSync(file)) : null;
			if (body === null || body === undefined) return route.fulfill({ status: 404, body: 'not found' });
			await route.fulfill({ status: 200, contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream', body });
		});
		await page.goto(`${env.base}/notebooks/srnam?backend=wasm`);
		await page.waitForSelector('[data-testid="cell-degrader"][data-status="error"]', { timeout: 60_000 });
		const text = await page.textContent('[data-testid="cell-error-degrader"]');
		assert.match(text, /The degrader could not be loaded/);
		assert.match(text, message);
		await cellDone(page, 'model', 1, 60_000); // the ProGAN generator, checked the same way, is fine
		await page.waitForSelector('[data-testid="cell-search"][data-status="blocked"]');
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		await cellDone(page, 'chart');
		assert.deepEqual(errors, []);
		await context.close();
	});
}
