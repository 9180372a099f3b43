// The "SRGAN: which loss?" notebook on wasm: the three nets' outputs appear next to bicubic and
// the HR with PSNR, the pixel-MSE loss map is computed for each, switching the loss to the
// discriminator draws D's 4×4 score over every output, the plane cell answers (measured or "not
// measured yet"), and after a reload the changed parameter is still set and the maps come back.
// The plausible-faces search stays off (its default), so the test runs no long search.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setup, newPage, cellDone } from './harness.js';

const NB = 'srgan';
const NETS = ['srresnet-mse', 'srresnet-content', 'srgan'];
const HAVE = ['progan', ...NETS].every((m) => existsSync(`${process.env.SRLAB_BUILD_DIR ?? 'build'}/weights/${m}/model.json`));
const SKIP = HAVE ? false : 'no progan / srresnet-mse / srresnet-content / srgan weights in the build (export them to static/weights and rebuild)';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

describe('SRGAN notebook on wasm', { skip: SKIP }, () => {
	it('three SR outputs, loss maps, D’s map; a changed loss survives a reload', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		for (const id of ['nets', 'input', 'compare', 'maps', 'plane']) await cellDone(page, id, 1, 120_000);

		for (const id of NETS) {
			const psnr = Number(await page.getAttribute(`[data-testid="srgan-out-${id}"]`, 'data-psnr'));
			assert.ok(psnr > 5 && psnr < 60, `${id}: PSNR ${psnr} dB computed against the HR`);
		}
		assert.ok(await page.$('[data-testid="srgan-hr"]'), 'the HR is shown');
		assert.equal(await page.getAttribute('[data-testid="srgan-loss-maps"]', 'data-loss'), 'mse');
		assert.equal(await page.getAttribute('[data-testid="srgan-loss-maps"]', 'data-count'), '4', 'bicubic and three nets');
		const mseValue = Number(await page.getAttribute('[data-testid="srgan-map-srresnet-mse"]', 'data-value'));
		assert.ok(mseValue > 0, 'the MSE map has a positive mean');
		assert.ok(await page.$('[data-testid="srgan-loss-bars"] svg'), 'the losses are charted');
		assert.match(await page.getAttribute('[data-testid="srgan-plane"]', 'data-state'), /^(missing|measured)$/);
		assert.equal(await page.getAttribute('[data-testid="srgan-mean-face"]', 'data-state'), 'idle');

		const n = Number(await page.getAttribute('[data-testid="cell-maps"]', 'data-runs'));
		await page.selectOption('[data-testid="param-maps-loss"]', 'adversarial');
		await cellDone(page, 'maps', n + 1, 60_000);
		assert.equal(await page.getAttribute('[data-testid="srgan-loss-maps"]', 'data-loss'), 'adversarial');
		assert.equal(await page.$$eval('[data-testid="srgan-map-srgan"] .grid span', (s) => s.length), 16, 'D’s 4×4 map over the SRGAN output');
		assert.ok(await page.$('[data-testid="srgan-map-hr"]'), 'D also judges the HR');

		await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
		await page.reload();
		await cellDone(page, 'maps', 1, 120_000);
		assert.equal(await page.inputValue('[data-testid="param-maps-loss"]'), 'adversarial');
		assert.equal(await page.getAttribute('[data-testid="srgan-loss-maps"]', 'data-loss'), 'adversarial');
		assert.deepEqual(errors, []);
		await context.close();
	});
});
