// The Live GAN on your own faces (wasm): the page writes four face images of its own making (ProGAN
// samples from the faces cell, enlarged and pasted off-centre on a grey canvas, never dataset
// images) plus a blank image and a text file; they are uploaded at once, the faces found are
// counted and previewed, the blank is skipped and counted, the text file refused with a message;
// training runs a few steps on them, a reload keeps the set, a dropped face and a picked folder join it, and Cancel stops a long batch. Needs the ProGAN weights.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
	params: { model: {}, faces: { source: 'progan', count: 8, seed: 3 }, train: { maxRes: '16', stepsPerPhase: 60, batch: 2, channels: 4, lr: 0.002, lambda: 10, seed: 1 } },
	images: {}
};
const link = 's1.' + Buffer.from(deflateSync(new TextEncoder().encode(JSON.stringify(state)), { level: 9 })).toString('base64url');

/** PNGs the page draws: the first `n` ProGAN training faces at 112 px on a 320×256 grey canvas, and a blank one. */
async function pageMadeImages(page, n) {
	const pngs = await page.evaluate(async (n) => {
		const set = window.__srlab.controller.runtime.get('faces').value;
		const out = [];
		for (let k = 0; k <= n; k++) {
			const big = document.createElement('canvas');
			big.width = 320;
			big.height = 256;
			const g = big.getContext('2d');
			g.fillStyle = '#808080';
			g.fillRect(0, 0, 320, 256);
			if (k < n) {
				const small = document.createElement('canvas');
				small.width = small.height = set.size;
				const rgba = new Uint8ClampedArray(set.size * set.size * 4);
				const per = set.size * set.size * 3;
				for (let i = 0; i < set.size * set.size; i++) {
					for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(((set.data[k * per + i * 3 + c] + 1) / 2) * 255);
					rgba[i * 4 + 3] = 255;
				}
				small.getContext('2d').putImageData(new ImageData(rgba, set.size, set.size), 0, 0);
				g.imageSmoothingQuality = 'high';
				g.drawImage(small, 140, 60, 112, 112);
			}
			const blob = await new Promise((r) => big.toBlob(r, 'image/png'));
			out.push(Array.from(new Uint8Array(await blob.arrayBuffer())));
		}
		return out;
	}, n);
	return pngs.map((bytes, k) => ({ name: k < n ? `progan-${k}.png` : 'blank.png', mimeType: 'image/png', buffer: Buffer.from(bytes) }));
}

const waitStep = (page, atLeast) =>
	page.waitForFunction((s) => Number(document.querySelector('[data-testid="gan-train"]')?.getAttribute('data-step')) >= s, atLeast, { timeout: 300_000 });

describe('Live GAN on your own faces (wasm)', { skip: SKIP }, () => {
	it('uploads, counts and previews, trains, keeps the set over a reload, takes a drop and a folder', async () => {
		const t0 = Date.now();
		const { page, context, errors } = await newPage(env.browser);
		await page.goto(`${env.base}/notebooks/live-gan?backend=wasm#s=${link}`);
		await cellDone(page, 'faces', 1, 180_000);
		const images = await pageMadeImages(page, 4);

		await page.selectOption('[data-testid="param-faces-source"]', 'upload');
		await page.waitForSelector('[data-testid="gan-upload"]:visible');
		assert.match(await page.textContent('[data-testid="gan-upload-count"]'), /never put|share link carries only the settings/);
		const text = { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') };
		await page.setInputFiles('[data-testid="gan-upload-files"]', [...images, text]);
		await page.waitForSelector('[data-testid="gan-upload-tally"]', { timeout: 180_000 });
		const tally = await page.$eval('[data-testid="gan-upload-tally"]', (e) => ({ added: Number(e.dataset.added), noFace: Number(e.dataset.noFace), refused: Number(e.dataset.refused), text: e.textContent }));
		console.log(`# tally: ${tally.text.trim().replace(/\s+/g, ' ')}`);
		assert.equal(tally.refused, 1, 'the text file is refused');
		assert.ok(await page.$('[data-testid="gan-upload-refused"]'), 'with its message');
		assert.equal(tally.added + tally.noFace, 5, 'every image is either a face or counted as skipped');
		assert.ok(tally.noFace >= 1, 'the blank image is skipped');
		assert.ok(tally.added >= 3, 'the ProGAN faces are found');
		const added = tally.added;
		assert.equal(Number(await page.getAttribute('[data-testid="gan-upload"]', 'data-count')), added);
		assert.equal((await page.$$('[data-testid="gan-upload-preview"] canvas')).length, added);

		await page.waitForFunction((n) => {
			const f = document.querySelector('[data-testid="gan-faces"]');
			return f?.getAttribute('data-source') === 'upload' && Number(f.getAttribute('data-count')) === n;
		}, added, { timeout: 120_000 });
		await page.waitForSelector('[data-testid="cell-train"][data-status="done"]', { timeout: 120_000 });
		await page.click('[data-testid="gan-run"]');
		await waitStep(page, 3);
		await page.click('[data-testid="gan-pause"]');
		await page.waitForFunction(() => document.querySelector('[data-testid="gan-train"]')?.getAttribute('data-running') === 'false');
		const paused = Number(await page.getAttribute('[data-testid="gan-train"]', 'data-step'));
		await page.waitForTimeout(2500); // the session autosaves within about a second

		await page.reload();
		await page.waitForFunction((n) => Number(document.querySelector('[data-testid="gan-upload"]')?.getAttribute('data-count')) === n, added, { timeout: 120_000 });
		await page.waitForFunction((n) => {
			const f = document.querySelector('[data-testid="gan-faces"]');
			return f?.getAttribute('data-source') === 'upload' && Number(f.getAttribute('data-count')) === n;
		}, added, { timeout: 120_000 });
		await page.waitForSelector('[data-testid="gan-notice"]', { timeout: 120_000 });
		assert.match(await page.textContent('[data-testid="gan-notice"]'), new RegExp(`Resumed the saved run at step ${paused}\\b`), 'same faces after the reload: the run resumes');

		// a face dropped on the box joins the set (the first image again: a drop of a face srlab found before)
		const face = images[0];
		await page.evaluate((bytes) => {
			const data = new DataTransfer();
			data.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
			document.querySelector('[data-testid="gan-upload"]').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
		}, Array.from(face.buffer));
		await page.waitForSelector('[data-testid="gan-upload-tally"]', { timeout: 120_000 });
		console.log(`# drop: ${(await page.textContent('[data-testid="gan-upload-tally"]')).trim().replace(/\s+/g, ' ')}`);
		assert.equal(Number(await page.getAttribute('[data-testid="gan-upload"]', 'data-count')), added + 1);

		// a whole folder (with a subfolder) through the folder picker: its faces join, its blank is skipped
		const dir = mkdtempSync(join(tmpdir(), 'srlab-faces-'));
		mkdirSync(join(dir, 'more'));
		writeFileSync(join(dir, 'one.png'), images[1].buffer);
		writeFileSync(join(dir, 'more', 'two.png'), images[2].buffer);
		writeFileSync(join(dir, 'blank.png'), images[images.length - 1].buffer);
		try {
			await page.setInputFiles('[data-testid="gan-upload-folder"]', dir);
			await page.waitForFunction(() => document.querySelector('[data-testid="gan-upload-tally"]')?.textContent?.includes('Added 2 faces'), null, { timeout: 120_000 });
			assert.equal(await page.getAttribute('[data-testid="gan-upload-tally"]', 'data-no-face'), '1');
			assert.equal(Number(await page.getAttribute('[data-testid="gan-upload"]', 'data-count')), added + 3);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}

		// a long batch shows its progress and stops on Cancel, keeping only faces read before it
		const before = added + 3;
		await page.setInputFiles('[data-testid="gan-upload-files"]', Array.from({ length: 12 }, (_, k) => ({ ...images[k % 4], name: `copy-${k}.png` })));
		await page.click('[data-testid="gan-upload-cancel"]');
		await page.waitForFunction(() => document.querySelector('[data-testid="gan-upload-tally"]')?.textContent?.includes('Cancelled'), null, { timeout: 120_000 });
		const kept = Number(await page.getAttribute('[data-testid="gan-upload"]', 'data-count'));
		assert.ok(kept >= before && kept < before + 12, `cancel stopped the batch (${kept - before} of 12 kept)`);
		console.log(`# cancel: ${(await page.textContent('[data-testid="gan-upload-tally"]')).trim().replace(/\s+/g, ' ')}`);
		console.log(`# ${added} faces, paused at step ${paused}; done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		assert.deepEqual(errors, []);
		await context.close();
	});
});
