// The face net twin (src/lib/eval/faceNet.ts) in Chromium on every backend that starts (webgpu
// and webgl run on SwiftShader here): descriptors equal face-api's on the fixture faces
// (test/fixtures/face-net-descriptors.json, made with face-api on tfjs cpu) and the input
// gradient of a feature loss equals the cpu backend's. The bench page (bench/faceNetCheck.ts)
// computes them; face-api's weights are served from node_modules at /vendor/face-api.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setupBench } from './harness.js';

const MODEL_DIR = new URL('../../node_modules/@vladmandic/face-api/model/', import.meta.url);
const fixture = JSON.parse(readFileSync(new URL('../fixtures/face-net-descriptors.json', import.meta.url), 'utf8'));

const relErr = (a, b) => {
	let d = 0;
	let n = 0;
	for (let i = 0; i < b.length; i++) {
		d += (a[i] - b[i]) ** 2;
		n += b[i] ** 2;
	}
	return Math.sqrt(d / n);
};

let env, browser, base;
before(async () => {
	env = await setupBench();
	({ browser, base } = env);
});
after(async () => env?.close());

/** The page's faceNetCheck on one backend, or null when that backend does not start. */
async function check(backend) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		await page.route('**/vendor/face-api/*', (route) => {
			const name = new URL(route.request().url()).pathname.split('/').pop();
			return route.fulfill({ body: readFileSync(new URL(name, MODEL_DIR)) });
		});
		await page.goto(base);
		await page.waitForFunction(() => 'srlabBench' in window);
		const info = await page.evaluate((b) => window.srlabBench.init(b), backend);
		if (info.backend !== backend) return { skipped: info.message };
		const out = await page.evaluate((images) => window.srlabBench.faceNetCheck({ images }), fixture.images);
		assert.equal(out.backend, backend);
		assert.deepEqual(errors, []);
		return out;
	} finally {
		await context.close();
	}
}

describe('face net twin in Chromium', () => {
	let onCpu;
	for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu'])
		it(backend, async (t) => {
			const out = await check(backend);
			if (out.skipped) return t.skip(`${backend} did not start: ${out.skipped}`);
			const errs = out.descriptors.map((d, i) => relErr(d, fixture.descriptors[i]));
			t.diagnostic(`${backend}: descriptor relative errors ${errs.map((e) => e.toExponential(1)).join(', ')}`);
			errs.forEach((err, i) => assert.ok(err < 1e-4, `${backend}, face ${i}: descriptor relative error ${err}`));
			if (backend === 'cpu') onCpu = out.gradient;
			else {
				assert.ok(onCpu, 'the cpu run comes first');
				const err = relErr(out.gradient, onCpu);
				t.diagnostic(`${backend}: input gradient relative error ${err.toExponential(1)} against cpu`);
				assert.ok(err < 1e-4, `${backend}: input gradient relative error ${err} against cpu`);
			}
			assert.ok(Math.max(...out.gradient.map(Math.abs)) > 0);
		});
});
