// The Live GAN notebook on wasm: training faces from the shipped ProGAN, then run (steps advance,
// samples from the fixed latents are drawn, a speed is measured), pause (the step count holds),
// reload (the saved run resumes at the paused step and says so), step once more. Small settings
// come in a share link (16 faces, 4 channels, batch 2, 300 steps per phase). The test pauses as soon as the first
// phase is past and checks the rest while paused: how fast wasm runs depends on the machine's load (0.5-27
// steps/s seen), and a run that ends before the click leaves Pause disabled. Needs the ProGAN weights.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'fflate';
import { setup, newPage, cellDone } from './harness.js';

const BUILD = process.env.SRLAB_BUILD_DIR ?? 'build';
const SKIP = existsSync(join(BUILD, 'weights', 'progan', 'model.json')) ? false : `no ProGAN weights in ${BUILD}/weights`;

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const state = {
	notebookId: 'live-gan',
	params: { model: {}, faces: { count: 16, seed: 3 }, train: { maxRes: '16', stepsPerPhase: 300, batch: 2, channels: 4, lr: 0.002, lambda: 10, seed: 1 } },
	images: {}
};
const link = 's1.' + Buffer.from(deflateSync(new TextEncoder().encode(JSON.stringify(state)), { level: 9 })).toString('base64url');

const attr = (page, name) => page.getAttribute('[data-testid="gan-train"]', name);
const waitAttr = (page, name, op, arg, timeout = 300_000) =>
	page.waitForFunction(
		([name, op, arg]) => {
			const v = document.querySelector('[data-testid="gan-train"]')?.getAttribute(name);
			if (v == null || v === '') return false;
			return op === 'eq' ? v === String(arg) : Number(v) >= arg;
		},
		[name, op, arg],
		{ timeout }
	);

async function ready(page) {
	for (const id of ['model', 'faces', 'train']) await cellDone(page, id, 1, 180_000);
	await page.waitForSelector('[data-testid="gan-samples"]', { timeout: 180_000 });
}

describe('Live GAN on wasm', { skip: SKIP }, () => {
	it('runs, draws samples, pauses, and resumes after a reload', async () => {
		const t0 = Date.now();
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/live-gan?backend=wasm#s=${link}`);
		await ready(page);
		assert.equal(Number(await page.getAttribute('[data-testid="gan-faces"]', 'data-count')), 16);
		assert.equal(await attr(page, 'data-step'), '0');
		assert.equal(await page.getAttribute('[data-testid="gan-samples"]', 'data-level'), '4');
		console.log(`# ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

		await page.click('[data-testid="gan-run"]');
		await waitAttr(page, 'data-step', 'ge', 302, 600_000);
		await page.click('[data-testid="gan-pause"]');
		await waitAttr(page, 'data-running', 'eq', false);
		await waitAttr(page, 'data-samples-step', 'ge', 1);
		assert.ok(Number(await attr(page, 'data-rate')) > 0, 'a measured speed');
		assert.match(await page.textContent('[data-testid="gan-speed"]'), /steps\/s/);
		// past the first phase: α of the 8 px fade-in shows, and the loss chart is drawn
		assert.ok(await page.$('[data-testid="gan-loss-chart"] svg'), 'loss chart');
		assert.ok(await page.$('[data-testid="gan-alpha"]'), 'α gauge');
		const paused = Number(await attr(page, 'data-step'));
		console.log(`# paused at step ${paused} (${await attr(page, 'data-rate')} steps/s) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		await page.waitForTimeout(1500);
		assert.equal(Number(await attr(page, 'data-step')), paused, 'paused: no more steps');
		// the session autosaves within about a second
		await page.waitForTimeout(1500);

		await page.reload();
		await ready(page);
		await page.waitForSelector('[data-testid="gan-notice"]', { timeout: 60_000 });
		assert.match(await page.textContent('[data-testid="gan-notice"]'), new RegExp(`Resumed the saved run at step ${paused}\\b`));
		assert.equal(Number(await attr(page, 'data-step')), paused);
		assert.equal(await attr(page, 'data-running'), 'false');
		await page.click('[data-testid="gan-step"]');
		await waitAttr(page, 'data-step', 'eq', paused + 1);
		console.log(`# ${await page.textContent('[data-testid="backend-badge"]').catch(() => '?')}; done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		assert.deepEqual(errors, []);
		await context.close();
	});
});
