#!/usr/bin/env node
// SR-NAM latent-search speed in Chromium, per tfjs backend and K: opens the Live SR-NAM
// notebook of the built site (SRLAB_BUILD_DIR, default build/), sets K, takes one warm-up
// step and then times N single steps with the Step button (wall time per step, including
// the readback and rendering the notebook does after each). Self-contained: its own server
// and browser (test/e2e/harness.js). The notebook opens from a share link that sets K and uses
// the synthetic face as a real LR face: no K = 4 search is rendered first, and with no HR there
// is no Eq. 7 scoring queued on the GPU between the timed steps.
// Usage: node bench/srnam-browser.js [backends=wasm,webgl,webgpu,cpu] [Ks=1,8,32] [steps=3]
// (also `npm run bench -- --only=srnam`, which runs it on the build-bench/ app build)
import { deflateSync } from 'fflate';
import { setup, newPage, cellDone } from '../test/e2e/harness.js';

const linkHash = (params) =>
	's=s1.' + Buffer.from(deflateSync(new TextEncoder().encode(JSON.stringify({ notebookId: 'srnam', params, images: {} })), { level: 9 })).toString('base64url');

const backends = (process.argv[2] ?? 'wasm,webgl,webgpu,cpu').split(',');
const Ks = (process.argv[3] ?? '1,8,32').split(',').map(Number);
const steps = Number(process.argv[4] ?? 3);

const env = await setup();
const stepOf = (page) => page.getAttribute('[data-testid="srnam-search"]', 'data-step').then(Number);
try {
	for (const backend of backends)
		for (const K of Ks) {
			const { page, context } = await newPage(env.browser);
			try {
				await page.goto(`${env.base}/notebooks/srnam?backend=${backend}#${linkHash({ input: { source: 'face-lr' }, search: { K, budget: 500 } })}`);
				for (const id of ['model', 'degrader', 'input', 'search']) await cellDone(page, id, 1, 300_000);
				await page.waitForFunction((K) => document.querySelectorAll('[data-testid="srnam-candidate"]').length === K, K, { timeout: 300_000 });
				const used = await page.textContent('[data-testid="backend-badge"]').catch(() => backend);
				const times = [];
				for (let i = 0; i <= steps; i++) {
					const s0 = await stepOf(page);
					await page.waitForSelector('[data-testid="srnam-step"]:not([disabled])', { timeout: 600_000 });
					const t0 = Date.now();
					await page.click('[data-testid="srnam-step"]', { noWaitAfter: true });
					await page.waitForFunction((n) => Number(document.querySelector('[data-testid="srnam-search"]')?.getAttribute('data-step')) === n, s0 + 1, { timeout: 600_000, polling: 50 });
					if (i > 0) times.push((Date.now() - t0) / 1000); // step 0 is the warm-up (shader compilation)
				}
				const mean = times.reduce((a, b) => a + b, 0) / times.length;
				console.log(`srnam browser bench ${backend} (${String(used).trim().replace(/\s+/g, ' ')}): K=${K}: ${(1 / mean).toFixed(3)} steps/s, ${(K / mean).toFixed(2)} restart-steps/s (${times.length} steps, ${mean.toFixed(2)} s each)`);
			} catch (e) {
				console.log(`srnam browser bench ${backend}: K=${K}: failed (${e.message.split('\n')[0]})`);
			} finally {
				await context.close();
			}
		}
} finally {
	await env.close();
}
