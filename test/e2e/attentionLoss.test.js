// The Attention-Heatmap Loss Explorer on wasm: every cell finishes with the shipped student and
// face-api's teacher, maps, table and charts are drawn, the equal-energy experiment shows the
// attention loss reacting more to the eyes, a brush painted by keyboard changes the SR image,
// and a reload and a share link keep the state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setup, newPage, cellDone } from './harness.js';

const NB = 'attention-loss';
const HAVE = ['progan', 'heatmaps'].every((m) => existsSync(`static/weights/${m}/model.json`));
const SKIP = HAVE ? false : 'no shipped weights for progan and heatmaps in static/weights';
const CELLS = ['models', 'progan', 'hr', 'hrmaps', 'sr', 'loss', 'experiment'];

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const metric = (page, key) => page.$eval(`[data-testid="attn-table"] tr[data-metric="${key}"] td.num`, (e) => Number(e.getAttribute('data-value')));
const runs = (page, id) => page.$eval(`[data-testid="cell-${id}"]`, (e) => Number(e.getAttribute('data-runs')));

describe('Attention-loss explorer on wasm', { skip: SKIP }, () => {
	it('maps, table, charts, experiment; brush by keyboard; reload and link keep the state', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/${NB}?backend=wasm`);
		for (const id of CELLS) await cellDone(page, id, 1, 120_000);
		assert.equal(await page.getAttribute('[data-testid="heatmap-models"]', 'data-student'), 'loaded');
		assert.equal(await page.getAttribute('[data-testid="heatmap-models"]', 'data-teacher'), 'loaded');
		assert.ok(Number(await page.textContent('[data-testid="heatmap-nme"]')) > 0, 'NME from the card');
		for (const id of ['map-abs', 'map-sq', 'map-mstar-teacher', 'map-attention-student', 'map-hmdiff-teacher']) assert.ok(await page.$(`[data-testid="${id}"]`), id);
		assert.ok(await page.$('[data-testid="attn-bars"] svg'), 'loss charts drawn');
		if (process.env.ATTN_SCREENSHOT) await page.screenshot({ path: process.env.ATTN_SCREENSHOT, fullPage: true });
		const eyesPixel = await metric(page, 'pixel');
		assert.ok(eyesPixel > 0, 'the default eye blur changes the image');

		// Equal energy: L_pixel equal in both arms, L_attention (teacher M*) larger for the eyes.
		const ratio = (m) => page.$eval(`[data-testid="attn-experiment-table"] tr[data-measure="${m}"] td[data-ratio]`, (e) => Number(e.getAttribute('data-ratio')));
		assert.ok(Math.abs((await ratio('L_pixel (Eq. 2)')) - 1) < 1e-3);
		assert.ok((await ratio('L_attention (Eq. 1) · teacher')) > 2, 'attention loss reacts more to the eyes');
		assert.ok(await page.$('[data-testid="attn-experiment-chart"] svg'));

		// Paint one brush cell with the keyboard: the region becomes the brush, the SR changes.
		const before = await runs(page, 'loss');
		await page.selectOption('[data-testid="param-sr-region"]', 'brush');
		await page.waitForSelector('[data-testid="attn-brush"]');
		await page.focus('[data-testid="attn-brush"]');
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('Space');
		await page.waitForSelector('[data-testid="attn-brush"][data-count="1"]');
		await page.waitForFunction((n) => Number(document.querySelector('[data-testid="cell-loss"]')?.getAttribute('data-runs')) > n + 1, before, { timeout: 60_000 });
		await cellDone(page, 'loss', before + 2, 60_000);
		const brushPixel = await metric(page, 'pixel');
		assert.ok(brushPixel > 0 && brushPixel !== eyesPixel, 'one painted cell is a different perturbation');

		// Reload: the region and the brush come back from the session.
		await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
		await page.reload();
		await cellDone(page, 'loss', 1, 120_000);
		assert.equal(await page.getAttribute('[data-testid="attn-brush"]', 'data-count'), '1');
		assert.equal(await metric(page, 'pixel'), brushPixel);

		// The share link reproduces it in a fresh context.
		await page.click('[data-testid="copy-link"]');
		const link = await page.inputValue('[data-testid="share-link"]');
		assert.match(link, /#s=/);
		const fresh = await newPage(env.browser);
		await fresh.page.goto(link.replace('#', '?backend=wasm#'));
		await cellDone(fresh.page, 'loss', 1, 120_000);
		assert.equal(await metric(fresh.page, 'pixel'), brushPixel, 'the link reproduces the perturbation');
		await fresh.context.close();

		// The progressive SR network's step 2 output as the SR image, when its weights are shipped.
		if (existsSync('static/weights/progressive-sr/model.json')) {
			const n = await runs(page, 'loss');
			await page.selectOption('[data-testid="param-sr-method"]', 'psr2');
			await cellDone(page, 'loss', n + 1, 60_000);
			assert.match(await page.getAttribute('[data-testid="attn-sr-face"]', 'aria-label'), /progressive SR with attention loss, step 2/);
			assert.ok((await metric(page, 'pixel')) > 0);
		}
		assert.deepEqual([...errors, ...fresh.errors], []);
		await context.close();
	});
});
