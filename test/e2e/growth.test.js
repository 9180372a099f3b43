// The "Progressive growth" notebook on wasm: every cell finishes, moving α changes the fade
// output, the filmstrip scrubs, α survives a reload, and a corrupt weights shard is an error
// in the model cell only. Weights: <build>/weights/progan (from static/; the build folder is
// SRLAB_BUILD_DIR or build), or PROGAN_WEIGHTS_DIR served in their place (e.g. a tiny export
// made with train/README.md's tiny config).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setup, newPage, cellDone } from './harness.js';

const NB = 'progressive-growth';
const OVERRIDE = process.env.PROGAN_WEIGHTS_DIR ? resolve(process.env.PROGAN_WEIGHTS_DIR) : undefined;
const SHIPPED = join(process.env.SRLAB_BUILD_DIR ?? 'build', 'weights/progan');
const HAVE = existsSync(join(OVERRIDE ?? SHIPPED, 'model.json'));
const SKIP = HAVE ? false : `no ProGAN weights in ${SHIPPED} (export them to static/weights/progan and rebuild, or set PROGAN_WEIGHTS_DIR)`;
const CELLS = ['model', 'latent', 'growth', 'fade', 'filmstrip'];

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

/** Serve the weights folder from PROGAN_WEIGHTS_DIR when set; `tamper` may rewrite a file. */
async function routeWeights(page, tamper) {
	if (!OVERRIDE && !tamper) return;
	await page.route('**/weights/progan/*', async (route) => {
		const name = new URL(route.request().url()).pathname.split('/').pop();
		const file = join(OVERRIDE ?? SHIPPED, name);
		if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
		const type = name.endsWith('.json') ? 'application/json' : name.endsWith('.png') ? 'image/png' : 'application/octet-stream';
		await route.fulfill({ status: 200, contentType: type, body: tamper ? tamper(name, readFileSync(file)) : readFileSync(file) });
	});
}

const fadeState = (page) =>
	page.$eval('[data-testid="fade-out"]', (e) => ({ mean: Number(e.getAttribute('data-mean')), alpha: Number(e.getAttribute('data-alpha')) }));

describe('progressive growth on wasm', { skip: SKIP }, () => {
	it('runs, fades with α, scrubs the filmstrip, restores α after a reload', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await routeWeights(page);
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		for (const id of CELLS) await cellDone(page, id, 1, 60_000);
		const sizes = await page.$$eval('[data-testid^="growth-"][data-size]', (els) => els.map((e) => Number(e.getAttribute('data-size'))));
		assert.deepEqual(sizes, [4, 8, 16, 32, 64]);
		assert.ok(await page.$('[data-testid="progan-model"] dl'), 'model card facts shown');

		// Move the α slider with the keyboard (each step is a run; stale ones are dropped).
		const before = await fadeState(page);
		assert.equal(before.alpha, 0.5);
		await page.focus('[data-testid="param-fade-alpha"]');
		await page.keyboard.press('End');
		await page.waitForFunction(() => document.querySelector('[data-testid="fade-out"]')?.getAttribute('data-alpha') === '1');
		const one = await fadeState(page);
		assert.notEqual(one.mean, before.mean, 'the fade output changes with α');
		for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowLeft');
		await page.waitForFunction(() => document.querySelector('[data-testid="fade-out"]')?.getAttribute('data-alpha') === '0.92');
		const moved = await fadeState(page);
		assert.notEqual(moved.mean, one.mean);
		assert.equal(await page.getAttribute('[data-testid="fade-diagram"]', 'data-blocks'), '3', '4, 8 and the new 16 block');
		await page.selectOption('[data-testid="param-fade-boundary"]', '64');
		await page.waitForFunction(() => document.querySelector('[data-testid="fade-out"]')?.getAttribute('data-boundary') === '64');
		assert.equal(await page.getAttribute('[data-testid="fade-diagram"]', 'data-blocks'), '5');

		// Scrub the filmstrip to the first snapshot and one step on.
		const last = Number(await page.getAttribute('[data-testid="filmstrip"]', 'data-index'));
		assert.ok(last >= 1, 'more than one snapshot');
		await page.focus('[data-testid="filmstrip-scrub"]');
		await page.keyboard.press('Home');
		await page.waitForSelector('[data-testid="filmstrip"][data-index="0"]');
		assert.equal(await page.getAttribute('[data-testid="filmstrip"]', 'data-images-seen'), '0');
		await page.keyboard.press('ArrowRight');
		await page.waitForSelector('[data-testid="filmstrip"][data-index="1"]');
		assert.ok(await page.$('[data-testid="loss-g"] svg'), 'G loss chart drawn');

		// Reload: α and the boundary come back from the session.
		const final = await fadeState(page);
		await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
		await page.reload();
		await cellDone(page, 'fade', 1, 60_000);
		assert.equal(await page.inputValue('[aria-label="α (fade-in) value"]'), '0.92');
		assert.deepEqual(await fadeState(page), final);
		assert.deepEqual(errors, []);
		await context.close();
	});

	it('a corrupt weights shard is an error in the model cell only', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await routeWeights(page, (name, b) => {
			if (!name.endsWith('.bin')) return b;
			const c = Buffer.from(b);
			c[10] ^= 0xff;
			return c;
		});
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		await page.waitForSelector('[data-testid="cell-model"][data-status="error"]', { timeout: 60_000 });
		assert.match(await page.textContent('[data-testid="cell-error-model"]'), /ProGAN face generator could not be loaded.*sha256/);
		await page.waitForSelector('[data-testid="cell-growth"][data-status="blocked"]');
		await cellDone(page, 'latent');
		await cellDone(page, 'filmstrip');
		assert.deepEqual(errors, []);
		await context.close();
	});
});
