// The Live SR-NAM notebook on wasm: models and input load, K = 2 restarts, 5 Adam steps by
// the Step button; the per-restart losses are finite, the candidates are drawn, and no page
// errors. Needs build/weights/progan and build/weights/degrader (from static/).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setup, newPage, cellDone } from './harness.js';

const HAVE = existsSync('build/weights/progan/model.json') && existsSync('build/weights/degrader/model.json');
const SKIP = HAVE ? false : 'no ProGAN or degrader weights in build/weights (export them to static/weights and rebuild)';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const stepOf = (page) => page.getAttribute('[data-testid="srnam-search"]', 'data-step').then(Number);

describe('Live SR-NAM on wasm', { skip: SKIP }, () => {
	it('K = 2, five steps: losses finite, candidates drawn', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/srnam?backend=wasm`);
		for (const id of ['model', 'degrader', 'input', 'search']) await cellDone(page, id, 1, 120_000);
		// K: 4 → 2 with the keyboard
		await page.focus('[data-testid="param-search-K"]');
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		await cellDone(page, 'search', 2, 60_000);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="srnam-candidate"]').length === 2, null, { timeout: 60_000 });
		for (let i = 1; i <= 5; i++) {
			await page.waitForSelector('[data-testid="srnam-step"]:not([disabled])', { timeout: 60_000 });
			await page.click('[data-testid="srnam-step"]');
			await page.waitForFunction((n) => Number(document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step')) === n, i, { timeout: 60_000 });
		}
		assert.equal(await stepOf(page), 5);
		const losses = (await page.getAttribute('[data-testid="srnam-search"]', 'data-losses')).split(',').map(Number);
		assert.equal(losses.length, 2);
		for (const l of losses) assert.ok(Number.isFinite(l) && l > 0 && l < 2, `loss ${l}`);
		assert.ok(await page.$('[data-testid="srnam-loss-chart"] svg'), 'loss chart drawn');
		assert.ok(await page.$('[data-testid="srnam-pca"] svg'), 'PCA drawn (latents at steps 0 and 5)');
		assert.equal(await page.$$eval('[data-testid="srnam-diversity"] td', (t) => t.length), 4);
		// Run, then Pause: the search moves on in chunks of 5 and stops when paused
		await page.click('[data-testid="srnam-run"]');
		await page.waitForFunction(() => Number(document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step')) >= 10, null, { timeout: 60_000 });
		await page.click('[data-testid="srnam-pause"]');
		await page.waitForFunction(() => document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-running') === 'false', null, { timeout: 60_000 });
		await page.waitForSelector('[data-testid="srnam-step"]:not([disabled])', { timeout: 60_000 });
		const paused = await stepOf(page);
		await page.waitForTimeout(1000);
		assert.equal(await stepOf(page), paused, 'paused');
		// Reset starts again at step 0
		await page.click('[data-testid="srnam-reset"]');
		await page.waitForFunction(() => document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step') === '0', null, { timeout: 60_000 });
		// the face input through area ×4 also feeds the search
		await page.selectOption('[data-testid="param-input-source"]', 'face-area');
		await cellDone(page, 'input', 2, 60_000);
		await cellDone(page, 'search', 3, 60_000);
		if (process.env.SRNAM_SCREENSHOT) await page.screenshot({ path: process.env.SRNAM_SCREENSHOT, fullPage: true });
		assert.deepEqual(errors, []);
		await context.close();
	});
});
