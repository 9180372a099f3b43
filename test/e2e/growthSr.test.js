// The progressive-SR half of the "Progressive growth" notebook (paper 003) on wasm: the model
// cell loads the shipped weights and draws the card's metrics, the steps cell shows 32/64/128 px
// outputs of the ProGAN face, the α slider of the 64 → 128 transition moves the blend, and the
// weights switch (with / without the attention loss) re-runs the steps.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setup, newPage, cellDone } from './harness.js';

const NB = 'progressive-growth';
const HAVE = ['progan', 'progressive-sr', 'progressive-sr-noatt'].every((m) => existsSync(`${process.env.SRLAB_BUILD_DIR ?? 'build'}/weights/${m}/model.json`));
const SKIP = HAVE ? false : 'no progan / progressive-sr weights in the build (export them to static/weights and rebuild)';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

describe('progressive SR steps on wasm', { skip: SKIP }, () => {
	it('shows every step, fades 64 → 128 with α, switches weights', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		for (const id of ['psrmodel', 'psrsteps', 'psrfade']) await cellDone(page, id, 1, 60_000);
		assert.ok(await page.$('[data-testid="psr-metrics"] svg'), 'metrics chart drawn from the card');
		const widths = await page.$$eval('canvas[data-testid^="psr-step"]', (els) => els.map((e) => e.width));
		assert.deepEqual(widths, [32, 64, 128]);
		assert.equal(await page.getAttribute('[data-testid="psr-steps"]', 'data-variant'), 'progressive-sr');
		const psnr3 = await page.getAttribute('[data-testid="psr-steps"]', 'data-psnr3');
		assert.equal(psnr3, '', 'no 128 px HR for a 64 px ProGAN face, so no step-3 PSNR');

		assert.equal(await page.getAttribute('[data-testid="psr-fade-3"]', 'data-alpha'), '0.5');
		await page.focus('[data-testid="param-psrfade-alpha3"]');
		await page.keyboard.press('Home');
		await page.waitForSelector('[data-testid="psr-fade-3"][data-alpha="0"]');

		await page.selectOption('[data-testid="param-psrmodel-variant"]', 'progressive-sr-noatt');
		await page.waitForSelector('[data-testid="psr-steps"][data-variant="progressive-sr-noatt"]', { timeout: 60_000 });
		await cellDone(page, 'psrfade', 1, 60_000);
		assert.deepEqual(errors, []);
		await context.close();
	});
});
