// The forward-conv input gradient (src/lib/backend/fastConvGrad.ts) against tfjs's stock
// Conv2DBackpropInput inside Chromium, on every backend that starts (webgpu and webgl run on
// SwiftShader here): the page of `npm run bench` (bench/browser-entry.ts) computes both.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './harness.js';
import { buildBench } from '../../bench/build.js';
import { serveBench } from '../../bench/browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
let server, browser, base;
before(async () => {
	await buildBench();
	server = await serveBench(root);
	base = `http://127.0.0.1:${server.address().port}/`;
	browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});
after(async () => {
	await browser?.close();
	await new Promise((r) => (server ? server.close(r) : r()));
});

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
