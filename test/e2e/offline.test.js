// srlab offline (issue 16 part 3): the service worker caches the app and every model's weights on
// the first visit; offline, a reload of the notebook still opens and computes on wasm; a tampered
// cached weight is still refused by the loader's sha256 check; the web app manifest makes srlab
// installable. And a host without COOP/COEP gets them from the worker (part 4's fallback).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone } from './harness.js';
import { startServer } from '../../scripts/serve.js';

const NB = 'progressive-growth';
const CELLS = ['model', 'latent', 'growth'];
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

/** Wait until the service worker controls the page: it activates only once its precache is complete. */
async function waitControlled(page) {
	await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 120_000 });
	return page.evaluate(async () => {
		const names = (await caches.keys()).filter((n) => n.startsWith('srlab-'));
		const cache = await caches.open(names[0]);
		const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
		return { names, keys };
	});
}

/** Poll through reloads (page.evaluate fails while a navigation replaces the document). */
async function until(page, fn, timeout = 120_000) {
	const end = Date.now() + timeout;
	for (;;) {
		try {
			if (await page.evaluate(fn)) return;
		} catch {
			/* the page is reloading */
		}
		if (Date.now() > end) throw new Error(`timed out waiting for ${fn}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

const growthSizes = (page) => page.$$eval('[data-testid^="growth-"][data-size]', (els) => els.map((e) => Number(e.getAttribute('data-size'))));

describe('offline and installable', () => {
	it('caches everything on the first visit, then reloads and computes offline', async () => {
		const { page, context, errors } = await newPage(env.browser, { serviceWorkers: 'allow' });
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		for (const id of CELLS) await cellDone(page, id, 1, 90_000);
		const { names, keys } = await waitControlled(page);
		assert.equal(names.length, 1, `one cache for this build: ${names}`);
		for (const p of ['/weights/progan/group1-shard1of1.bin', '/weights/degrader/model.json', '/vendor/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm', '/vendor/face-api/tiny_face_detector_model.bin', '/notebooks/srnam', '/manifest.webmanifest', '/200.html'])
			assert.ok(keys.includes(p), `${p} is cached`);

		// installable: Chromium's own check (manifest, icons, start_url, display, worker), incognito aside
		const cdp = await context.newCDPSession(page);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		const { errors: manifestErrors } = await cdp.send('Page.getAppManifest');
		assert.deepEqual(manifestErrors, []);
		assert.deepEqual(installabilityErrors.filter((e) => e.errorId !== 'in-incognito'), []);

		await context.setOffline(true);
		await page.reload();
		for (const id of CELLS) await cellDone(page, id, 1, 90_000);
		assert.deepEqual(await growthSizes(page), [4, 8, 16, 32, 64], 'the ProGAN renders every level offline');
		assert.equal(await page.getAttribute('[data-testid="backend-badge"]', 'data-backend'), 'wasm');
		// another page this visit never opened comes from the precache too
		await page.goto(`${env.base}/notebooks/srnam?backend=wasm`);
		await page.waitForSelector('[data-testid="cell-model"]', { timeout: 60_000 });

		// a cached shard flipped on disk: the loader still refuses it (sha256 in model.json, bound by the card)
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		await page.evaluate(async () => {
			const cache = await caches.open((await caches.keys()).find((n) => n.startsWith('srlab-')));
			const res = await cache.match('/weights/progan/group1-shard1of1.bin');
			const bytes = new Uint8Array(await res.arrayBuffer());
			bytes[10] ^= 0xff;
			await cache.put('/weights/progan/group1-shard1of1.bin', new Response(bytes, { headers: res.headers }));
		});
		await page.reload();
		await page.waitForSelector('[data-testid="cell-model"][data-status="error"]', { timeout: 60_000 });
		assert.match(await page.textContent('[data-testid="cell-error-model"]'), /could not be loaded.*sha256/);
		await page.waitForSelector('[data-testid="cell-growth"][data-status="blocked"]');
		assert.deepEqual(errors, []);
		await context.close();
	});

	it('gives a host without COOP/COEP cross-origin isolation and wasm threads through the worker', async () => {
		const plain = await startServer(0, { isolation: false });
		const base = `http://127.0.0.1:${plain.address().port}`;
		const { page, context, errors } = await newPage(env.browser, { serviceWorkers: 'allow' });
		try {
			await page.goto(`${base}/notebooks/${NB}?backend=wasm`);
			assert.equal(await page.evaluate(() => crossOriginIsolated), false, 'the host sends no headers');
			// the worker installs, takes control, and the page reloads itself once, through it
			await until(page, () => crossOriginIsolated === true && document.querySelector('[data-testid="backend-badge"]')?.getAttribute('data-status') === 'ready');
			for (const id of CELLS) await cellDone(page, id, 1, 90_000);
			const cores = await page.evaluate(() => navigator.hardwareConcurrency);
			const threads = Number(await page.getAttribute('[data-testid="backend-threads"]', 'data-threads'));
			assert.equal(threads, Math.min(8, cores), `wasm runs ${threads} threads on ${cores} cores`);
			assert.ok(threads > 1 || cores === 1);
			assert.deepEqual(errors, []);
		} finally {
			await context.close();
			await new Promise((r) => plain.close(r));
		}
	});
});
