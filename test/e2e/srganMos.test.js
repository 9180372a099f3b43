// The SRGAN notebook's blind mini-MOS cell on wasm: the rating panel never names the method,
// keys 1–5 rate, S skips, U undoes; the summary (chart, table, paired comparisons) appears once
// the face is done; the ratings survive a reload and download as CSV; a new face adds its
// versions to the list; reset (after a confirm) empties it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setup, newPage, cellDone } from './harness.js';

const BUILD = process.env.SRLAB_BUILD_DIR ?? 'build';
const NETS = ['srresnet-mse', 'srresnet-content', 'srgan'];
const HAVE = existsSync(`${BUILD}/weights/progan/model.json`) && NETS.some((m) => existsSync(`${BUILD}/weights/${m}/model.json`));
const SKIP = HAVE ? false : 'no progan or SRResNet weights in the build (export them to static/weights and rebuild)';
/** What the rating panel must never show: the methods' labels and ids. */
const NAMES = ['HR (the original', 'Nearest neighbour', 'Bicubic ×4', 'SRResNet', 'SRGAN', 'srresnet', 'srgan', '"hr"', '"nn"', '"bicubic"'];

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

const text = (page, id) => page.textContent(`[data-testid="${id}"]`);

describe('srgan mini-MOS on wasm', { skip: SKIP }, () => {
	it('rates blind with the keyboard, summarises, keeps the ratings over a reload, adds a new face, resets', async () => {
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/srgan?backend=wasm`);
		await cellDone(page, 'mos', 1, 180_000);
		const first = await text(page, 'mos-progress');
		const count = Number(/picture 1 of (\d+)/.exec(first)?.[1]);
		// HR, nearest neighbour, bicubic and at least one net
		assert.ok(count >= 4, first);
		await page.waitForSelector('[data-testid="mos-summary-hidden"]');

		await page.focus('[data-testid="mos-panel"]');
		for (let k = 1; k <= count; k++) {
			const html = await page.innerHTML('[data-testid="mos-panel"]');
			for (const n of NAMES) assert.ok(!html.includes(n), `the panel names “${n}” before picture ${k} is rated`);
			assert.match(await text(page, 'mos-progress'), new RegExp(`picture ${k} of ${count}`));
			if (k === 2) {
				await page.keyboard.press('s'); // skip, then take it back
				await page.waitForSelector('[data-testid="mos-progress"]:has-text("picture 3 of")');
				await page.keyboard.press('u');
				await page.waitForSelector('[data-testid="mos-progress"]:has-text("picture 2 of")');
			}
			await page.keyboard.press(String(((k - 1) % 5) + 1));
		}
		await page.waitForSelector('[data-testid="mos-face-done"]');
		await page.waitForSelector('[data-testid="mos-summary"] [data-testid="mos-chart"] svg');
		const rows = await page.$$eval('[data-testid="mos-table"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
		assert.equal(rows.length, count);
		assert.equal(rows.reduce((s, r) => s + Number(r[1]), 0), count, 'one score per method');
		const scores = rows.map((r) => Number(r[2])).sort();
		assert.deepEqual(scores, Array.from({ length: count }, (_, i) => (i % 5) + 1).sort(), 'the means are the keys pressed');
		assert.match(await text(page, 'mos-count'), new RegExp(`^${count} answers \\(${count} scores\\) over 1 face`));
		const pairRows = await page.$$eval('[data-testid="mos-pairs"] tbody tr', (trs) => trs.length);
		assert.equal(pairRows, (count * (count - 1)) / 2, 'every two methods compared on the one face');

		const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="mos-csv"]')]);
		const csv = readFileSync(await download.path(), 'utf8').trim().split('\r\n');
		assert.equal(csv.length, count + 1);
		assert.match(csv[0], /^order,face_id,face_label,method_id,method_label,score/);
		assert.match(csv[1], /^1,progan-5,/);

		await page.waitForSelector('[data-testid="save-status"][data-status="saved"]');
		await page.reload();
		await cellDone(page, 'mos', 1, 180_000);
		await page.waitForSelector('[data-testid="mos-face-done"]');
		assert.match(await text(page, 'mos-count'), new RegExp(`^${count} answers`));

		await page.fill('[data-testid="param-input-seed"]', '6');
		await page.press('[data-testid="param-input-seed"]', 'Enter');
		await page.waitForSelector('[data-testid="mos-progress"]:has-text("picture 1 of")', { timeout: 180_000 });
		assert.match(await text(page, 'mos-count'), /over 2 faces/);
		await page.waitForSelector('[data-testid="mos-summary-hidden"]');

		// reset asks first; Keep changes nothing, Delete all starts again on the face on screen
		await page.click('[data-testid="mos-reset"]');
		await page.click('[data-testid="mos-reset-cancel"]');
		assert.match(await text(page, 'mos-count'), new RegExp(`^${count} answers`));
		await page.click('[data-testid="mos-reset"]');
		await page.click('[data-testid="mos-reset-confirm"]');
		await page.waitForSelector('[data-testid="mos-count"]:has-text("0 answers (0 scores) over 1 face")');
		assert.match(await text(page, 'mos-progress'), /picture 1 of/);
		assert.deepEqual(errors, []);
		await context.close();
	});
});
