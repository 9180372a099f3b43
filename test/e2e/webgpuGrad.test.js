// WebGPU gradients equal cpu's (tfjs-backend-webgpu 4.22's split-K matMul with a transposed B
// gave ProGAN's ∂/∂z a relative error > 1, so SR-NAM descended a wrong direction on webgpu;
// fix: src/lib/backend/webgpuMatMulFix.ts). The bench page (bench/browser-entry.ts) computes the
// probes of bench/gradCheck.ts: every op G, D and the Eq. 6 loss use, on small batched shapes,
// plus the offending matMul at ProGAN's size, on cpu and on webgpu (SwiftShader here).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setupBench } from './harness.js';

let env, browser, base;
before(async () => {
	env = await setupBench();
	({ browser, base } = env);
});
after(async () => env?.close());

/** The probes' gradients on one backend, or null when it does not start. */
async function gradients(backend) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(String(e)));
		await page.goto(base);
		await page.waitForFunction(() => 'srlabBench' in window);
		const info = await page.evaluate((b) => window.srlabBench.init(b), backend);
		if (info.backend !== backend) return { skipped: info.message };
		const grads = await page.evaluate(() => window.srlabBench.probeGradients());
		assert.deepEqual(errors, []);
		return { grads };
	} finally {
		await context.close();
	}
}

/** max |a − b| / max |a| */
function relErr(a, b) {
	let err = 0;
	let mag = 0;
	for (let i = 0; i < a.length; i++) {
		err = Math.max(err, Math.abs(a[i] - b[i]));
		mag = Math.max(mag, Math.abs(a[i]));
	}
	return err / mag;
}

describe('webgpu gradients equal cpu gradients', () => {
	it('every op of G, D and the loss, incl. the dense layer dz = dy·Wᵀ at 512×2048', async (t) => {
		const t0 = Date.now();
		const cpu = await gradients('cpu');
		const gpu = await gradients('webgpu');
		if (gpu.skipped) return t.skip(`webgpu did not start: ${gpu.skipped}`);
		const bad = [];
		for (const [name, ref] of Object.entries(cpu.grads)) {
			assert.equal(gpu.grads[name].length, ref.length, name);
			const rel = relErr(ref, gpu.grads[name]);
			if (!(rel < 1e-5)) bad.push(`${name}: ${rel.toExponential(2)}`);
		}
		t.diagnostic(`${Object.keys(cpu.grads).length} probes in ${Date.now() - t0} ms`);
		assert.deepEqual(bad, [], `relative gradient error webgpu vs cpu`);
	});
});
