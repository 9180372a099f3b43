// The Live SR-NAM notebook on wasm and webgpu (SwiftShader), K = 2 and a small step budget:
// run, pause, scrub the history, pin, reload mid-run (the saved run resumes and carries on),
// export a GIF, and a share link that replays the run: identical losses on the same backend,
// within the stated tolerance across the two backends. Needs the ProGAN and degrader weights.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setup, newPage, cellDone } from './harness.js';

const BUILD = process.env.SRLAB_BUILD_DIR ?? 'build';
const HAVE = ['progan', 'degrader'].every((m) => existsSync(join(BUILD, 'weights', m, 'model.json')));
const SKIP = HAVE ? false : `no ProGAN or degrader weights in ${BUILD}/weights (export them to static/weights and rebuild)`;
/** Max |Δ loss| between backends after BUDGET steps, the tolerance the notebook states. */
const CROSS_BACKEND_TOL = 2e-3;
const BUDGET = 20;

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const attr = (page, name) => page.getAttribute('[data-testid="srnam-search"]', name);
const stepOf = async (page) => Number(await attr(page, 'data-step'));
const lossesOf = async (page) => (await attr(page, 'data-losses')).split(',').map(Number);
/** Wait until the search's attribute `name` compares to `arg` by op: 'eq' (as text), 'ge' or 'gt' (as numbers). */
const waitAttr = (page, name, op, arg, timeout = 120_000) =>
	page.waitForFunction(
		([name, op, arg]) => {
			const v = document.querySelector('[data-testid="srnam-search"]')?.getAttribute(name);
			if (v == null) return false;
			return op === 'eq' ? v === String(arg) : op === 'ge' ? Number(v) >= arg : Number(v) > arg;
		},
		[name, op, arg],
		{ timeout }
	);

async function openReady(page, url, runs = 1) {
	await page.goto(url);
	for (const id of ['model', 'degrader', 'input']) await cellDone(page, id, 1, 120_000);
	await cellDone(page, 'search', runs, 120_000);
	await page.waitForSelector('[data-testid="srnam-search"][data-losses]:not([data-losses=""])', { timeout: 120_000 });
}

async function setK(page, K, budget, runs) {
	await page.focus('[data-testid="param-search-K"]');
	for (let i = 4; i > K; i--) await page.keyboard.press('ArrowLeft');
	await page.fill('input[aria-label="Step budget value"]', String(budget));
	await page.press('input[aria-label="Step budget value"]', 'Enter');
	await cellDone(page, 'search', runs);
	await page.waitForFunction((K) => document.querySelectorAll('[data-testid="srnam-candidate"]').length === K, K, { timeout: 300_000 });
}

/** Open a share link (on a given backend) in a fresh context, run it to the budget, return the losses. */
async function replay(link, backend, budget) {
	const other = await newPage(env.browser);
	const u = new URL(link);
	u.searchParams.set('backend', backend);
	await openReady(other.page, u.toString());
	assert.equal(await stepOf(other.page), 0);
	await other.page.click('[data-testid="srnam-run"]');
	await waitAttr(other.page, 'data-step', 'eq', budget, 240_000);
	await waitAttr(other.page, 'data-running', 'eq', false);
	const losses = await lossesOf(other.page);
	assert.deepEqual(other.errors, []);
	await other.context.close();
	return losses;
}

describe('Live SR-NAM on wasm', { skip: SKIP }, () => {
	it('K = 2: run, pause, scrub, pin, reload mid-run resumes, GIF, link replays exactly', async () => {
		const t0 = Date.now();
		const { page, context, errors } = await newPage(env.browser);
		await openReady(page, `${env.base}/notebooks/srnam?backend=wasm`);
		assert.ok(await page.$('[data-testid="srnam-standin"]'), 'stand-in banner');
		await setK(page, 2, BUDGET, 3);

		// Run, then Pause
		await page.click('[data-testid="srnam-run"]');
		await waitAttr(page, 'data-step', 'ge', 5);
		// a wasm step holds the main thread (~1 s): click from the page, which runs between steps
		await page.$eval('[data-testid="srnam-pause"]', (b) => b.click());
		await waitAttr(page, 'data-running', 'eq', false);
		await page.waitForSelector('[data-testid="srnam-step"]:not([disabled])', { timeout: 60_000 });
		const paused = await stepOf(page);
		await page.waitForTimeout(500);
		assert.equal(await stepOf(page), paused, 'paused');
		for (const l of await lossesOf(page)) assert.ok(Number.isFinite(l) && l > 0 && l < 2, `loss ${l}`);
		assert.ok(await page.$('[data-testid="srnam-loss-chart"] svg'), 'loss chart drawn');
		assert.ok(await page.$('[data-testid="srnam-pca"] svg'), 'PCA drawn');

		// Scrub to step 0 and back to live with the keyboard
		await page.focus('[data-testid="srnam-scrub"]');
		await page.keyboard.press('Home');
		await waitAttr(page, 'data-view-step', 'eq', 0);
		assert.match(await page.textContent('[data-testid="srnam-scrub-label"]'), /showing step 0/);
		await page.keyboard.press('End');
		await waitAttr(page, 'data-view-step', 'eq', paused);

		// Pin candidate 1
		await page.click('[data-testid="srnam-pin"]');
		await waitAttr(page, 'data-pins', 'eq', 1);

		// Run again and reload mid-run: the saved run resumes and carries on to the budget
		await page.click('[data-testid="srnam-run"]');
		await waitAttr(page, 'data-step', 'gt', paused);
		await page.waitForTimeout(2500); // one periodic save while running
		const before = await stepOf(page);
		assert.ok(before < BUDGET, `still running when reloading (step ${before})`);
		await page.reload();
		await openReady(page, page.url());
		const notice = await page.textContent('[data-testid="srnam-notice"]');
		const resumedAt = Number(/step (\d+)/.exec(notice)?.[1]);
		assert.ok(resumedAt >= paused && resumedAt <= before + 1, `resumed at ${resumedAt} (paused ${paused}, reloaded at ${before})`);
		assert.match(notice, /carries on/);
		assert.equal(await attr(page, 'data-pins'), '1', 'pin kept');
		await waitAttr(page, 'data-step', 'eq', BUDGET, 240_000);
		await waitAttr(page, 'data-running', 'eq', false);
		const sender = await lossesOf(page);

		// GIF of the search
		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="srnam-export-gif"]')]);
		assert.equal(download.suggestedFilename(), 'srnam-search.gif');
		assert.match(await page.textContent('[data-testid="srnam-export-msg"]'), /GIF: \d+ frames/);

		// The share link replays the run on the same backend: identical losses at the budget
		await page.click('[data-testid="copy-link"]');
		const link = await page.inputValue('[data-testid="share-link"]');
		assert.deepEqual(await replay(link, 'wasm', BUDGET), sender, 'same backend, same losses');
		assert.deepEqual(errors, []);
		await context.close();
		console.log(`srnam e2e wasm: ${((Date.now() - t0) / 1000).toFixed(1)} s, losses at step ${BUDGET}: ${sender.join(', ')}`);
	});
});

describe('Live SR-NAM on webgpu (SwiftShader: slow, so K = 1 and 3 steps)', { skip: SKIP }, () => {
	it('step, scrub, run, reload keeps the run; its link replays on wasm within the stated tolerance', async () => {
		const t0 = Date.now();
		const B = 3;
		const { page, context, errors } = await newPage(env.browser);
		await openReady(page, `${env.base}/notebooks/srnam?backend=webgpu`);
		await setK(page, 1, B, 3);
		await page.click('[data-testid="srnam-step"]');
		await waitAttr(page, 'data-step', 'eq', 1, 240_000);
		await page.focus('[data-testid="srnam-scrub"]');
		await page.keyboard.press('Home');
		await waitAttr(page, 'data-view-step', 'eq', 0);
		await page.click('[data-testid="srnam-run"]');
		await waitAttr(page, 'data-step', 'eq', B, 240_000);
		await waitAttr(page, 'data-running', 'eq', false);
		const sender = await lossesOf(page);
		await page.waitForSelector('[data-testid="save-status"][data-status="saved"]', { timeout: 30_000 });
		await page.reload();
		await openReady(page, page.url());
		assert.match(await page.textContent('[data-testid="srnam-notice"]'), new RegExp(`Resumed the saved run at step ${B}`));
		assert.deepEqual(await lossesOf(page), sender, 'the reloaded run shows the same losses');
		await page.click('[data-testid="copy-link"]');
		const link = await page.inputValue('[data-testid="share-link"]');
		const onWasm = await replay(link, 'wasm', B);
		const diff = Math.max(...onWasm.map((l, k) => Math.abs(l - sender[k])));
		console.log(`srnam e2e webgpu: ${((Date.now() - t0) / 1000).toFixed(1)} s; max |Δ loss| webgpu vs wasm at step ${B} = ${diff.toExponential(2)}`);
		assert.ok(diff <= CROSS_BACKEND_TOL, `max |Δ loss| ${diff}`);
		assert.deepEqual(errors, []);
		await context.close();
	});
});
