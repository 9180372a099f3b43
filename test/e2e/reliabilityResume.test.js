// Issue 8, "tab closed mid-optimisation": the SR-NAM search is running when its tab is closed;
// opening the session again in a new tab resumes from the last saved step (not from 0) and
// carries on. (Reload mid-run is covered by srnam.test.js; damaged saved runs by
// test/unit/reliability.resume.test.ts.) Needs the ProGAN and degrader weights.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { setup, newPage, cellDone } from './harness.js';

const BUILD = process.env.SRLAB_BUILD_DIR ?? 'build';
const HAVE = ['progan', 'degrader'].every((m) => existsSync(join(BUILD, 'weights', m, 'model.json')));
let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const stepOf = async (page) => Number(await page.getAttribute('[data-testid="srnam-search"]', 'data-step'));

async function openReady(page, url, runs = 1) {
	await page.goto(url);
	for (const id of ['model', 'degrader', 'input']) await cellDone(page, id, 1, 120_000);
	await cellDone(page, 'search', runs, 120_000);
}

it('SR-NAM tab closed mid-run: a new tab on the session resumes from the last saved step', { skip: HAVE ? false : `no weights in ${BUILD}/weights` }, async () => {
	const { page, context, errors } = await newPage(env.browser);
	// K = 2 through a share link (one search build instead of two)
	const link = 's1.' + deflateRawSync(Buffer.from(JSON.stringify({ notebookId: 'srnam', params: { search: { K: 2 } } }))).toString('base64url');
	await openReady(page, `${env.base}/notebooks/srnam?backend=wasm#s=${link}`);
	await page.waitForSelector('[data-testid="srnam-run"]:not([disabled])', { timeout: 60_000 });
	await page.click('[data-testid="srnam-run"]');
	await page.waitForFunction(() => Number(document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step')) >= 2, null, { timeout: 60_000 });
	await page.waitForTimeout(4500); // the cell saves its run every 2 s while running; autosave debounces 0.5 s
	const closedAt = await stepOf(page);
	assert.equal(await page.getAttribute('[data-testid="srnam-search"]', 'data-running'), 'true', 'still running when the tab closes');
	const url = page.url();
	assert.match(url, /session=/);
	await page.close();

	const tab = await context.newPage();
	tab.on('pageerror', (e) => errors.push(String(e)));
	await openReady(tab, url);
	await tab.waitForSelector('[data-testid="srnam-notice"]', { timeout: 60_000 });
	const notice = await tab.textContent('[data-testid="srnam-notice"]');
	const resumedAt = Number(/Resumed the saved run at step (\d+)/.exec(notice)?.[1]);
	assert.ok(resumedAt >= 2 && resumedAt <= closedAt + 1, `resumed at ${resumedAt}, the tab closed at ${closedAt}: ${notice}`);
	assert.match(notice, /carries on/);
	await tab.waitForFunction((n) => Number(document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step')) > n, resumedAt, { timeout: 60_000 });
	await tab.click('[data-testid="srnam-pause"]');
	assert.deepEqual(errors, []);
	await context.close();
});
