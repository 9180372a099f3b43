// The forward-conv input gradient (src/lib/backend/fastConvGrad.ts) against tfjs's stock
// Conv2DBackpropInput inside Chromium, on every backend that starts (webgpu and webgl run on
// SwiftShader here): the page of `npm run bench` (bench/browser-entry.ts) computes both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupBench } from './harness.js';

let env, browser, base;
before(async () => {
	env = await setupBench();
	({ browser, base } = env);
});
after(async () => env?.close());

describe('replaced conv input gradient equals the stock kernel in Chromium', () => {
	for (const backend of ['webgl', 'wasm', 'cpu', 'webgpu'])
		it(backend, async (t) => {
			const context = await browser.newContext();
			const page = await context.newPage();
			const errors = [];
			page.on('pageerror', (e) => errors.push(String(e)));
			await page.goto(base);
			await page.waitForFunction(() => 'srlabBench' in window);
			const info = await page.evaluate((b) => window.srlabBench.init(b), backend);
			if (info.backend !== backend) {
				t.skip(`${backend} did not start: ${info.message}`);
				await context.close();
				return;
			}
			const rel = await page.evaluate(() => window.srlabBench.checkConvGrad());
			assert.ok(rel < 1e-4, `${backend}: relative difference ${rel}`);
			assert.deepEqual(errors, []);
			await context.close();
		});
});
