// bench/suite.js statistics and bench/report.js table rendering (npm run bench itself is not
// part of npm test): medians/quantiles, the headline ratio column, skipped records, A/B rows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stats, benchTarget, shippedModels } from '../../bench/suite.js';
import { kindOf } from '../../bench/core';
import type { NamedWeights } from '../../src/models/weights';
import { renderReport, mergeLatest } from '../../bench/report.js';

const s = (xs: number[]) => stats(xs);

describe('bench stats', () => {
	it('median, quartiles and range', () => {
		expect(s([3, 1, 2])).toMatchObject({ n: 3, median: 2, min: 1, max: 3 });
		expect(s([1, 2, 3, 4])).toMatchObject({ median: 2.5, q1: 1.75, q3: 3.25 });
	});
	it('the fixed target is 16×16×3 in [-1, 1]', () => {
		const t = benchTarget();
		expect(t).toHaveLength(768);
		expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(1);
	});
});

describe('bench kindOf', () => {
	// every shipped model must be timed by npm run bench (issue 7): kindOf only reads tensor names
	const dir = join(__dirname, '../../static/weights');
	const names = (m: string): string[] =>
		JSON.parse(readFileSync(join(dir, m, 'model.json'), 'utf8')).weightsManifest.flatMap((g: { weights: { name: string }[] }) => g.weights.map((w) => w.name));
	const expected: Record<string, string> = { progan: 'progan', degrader: 'degrader', low2high: 'low2high', 'low2high-bicubic': 'low2high', heatmaps: 'heatmaps', 'progressive-sr': 'progressive-sr', 'progressive-sr-noatt': 'progressive-sr' };
	it('recognises every static/weights/*/model.json', () => {
		const models = shippedModels(dir) as string[];
		expect(models.length).toBeGreaterThan(0);
		for (const m of models) {
			const kind = kindOf(Object.fromEntries(names(m).map((n) => [n, null])) as unknown as NamedWeights);
			expect(kind, m).not.toBeNull();
			if (expected[m]) expect(kind, m).toBe(expected[m]);
		}
	});
});

describe('BENCHMARKS.md', () => {
	const step = (a: number[], b: number[]) => ({ srlab: s(a), torch: s(b), ratio: s(a.map((x, i) => x / b[i])) });
	const base = { run: 'R1', machine: { cpu: 'Test CPU', cores: 2, node: 'v20' }, torch: { torch: '1.13', device: 'cpu', threads: 1 }, versions: { tfjs: '4.22.0' }, loadBefore: [1, 1, 1], loadAfter: [2, 2, 2] };
	const latest = new Map<string, unknown>([
		['node:wasm:srlab', { ...base, env: 'node', backend: 'wasm', variant: 'srlab', file: 'a.json', result: { step: { 1: step([20, 22], [10, 10]), 8: step([90], [30]) }, forward: { progan: { 1: step([5], [10]), 8: step([40], [20]) } }, load: { progan: { srlab: s([50]), torch: s([20]) } }, memory: { steps: 100, first: { tensors: 5, bytes: 80 }, last: { tensors: 5, bytes: 80 }, flat: true } } }],
		['node:wasm:stock-tfjs', { ...base, env: 'node', backend: 'wasm', variant: 'stock-tfjs', file: 'b.json', result: { step: { 1: step([60], [10]) } }, ab: { K: 8, stock: s([300]), fast: s([90]), ratio: s([0.3]) } }],
		['node:webgpu:srlab', { ...base, env: 'node', backend: 'webgpu', variant: 'srlab', file: 'c.json', skipped: 'no adapter' }]
	]);
	const md = renderReport(latest);
	it('headline ratios per backend and variant', () => {
		expect(md).toContain('| node | wasm | srlab | **2.1×** (2.0–2.2) | **3.0×** (3.0–3.0) | — | R1 |');
		expect(md).toContain('| node | wasm | stock-tfjs | **6.0×**');
		expect(md).toContain('| node | webgpu | srlab | skipped: no adapter |');
	});
	it('A/B, forward, memory and machine sections', () => {
		expect(md).toMatch(/\| node \| wasm \| 8 \| 300 \(300–300\) \| 90 \(90–90\) \| \*\*0\.30\*\*/);
		expect(md).toContain('| node | wasm | **0.5×** (0.5–0.5) | **2.0×** (2.0–2.0) |');
		expect(md).toContain('| node | wasm | 100 | 5 → 5 | 80 → 80 | yes |');
		expect(md).toContain('Test CPU × 2');
	});
	it('wasm threads: the isolated row says its threads; the 1-thread row and the A/B table follow', () => {
		const threads = new Map<string, unknown>([
			['chromium:wasm:srlab', { ...base, env: 'chromium', backend: 'wasm', variant: 'srlab', threads: 2, file: 'd.json', result: { step: { 8: step([60], [30]) } } }],
			['chromium:wasm:1-thread', { ...base, env: 'chromium', backend: 'wasm', variant: '1-thread', threads: 1, file: 'e.json', result: { step: { 8: step([90], [30]) } }, abThreads: [{ K: 8, threads: 2, single: s([90]), threaded: s([45]), ratio: s([0.5]) }] }]
		]);
		const t = renderReport(threads);
		expect(t).toContain('| chromium | wasm | srlab (2 threads) | — | **2.0×** (2.0–2.0) |');
		expect(t).toContain('| chromium | wasm | 1-thread | — | **3.0×** (3.0–3.0) |');
		expect(t).toContain('| chromium | 8 | 90 (90–90) | 2 | 45 (45–45) | **0.50** (0.50–0.50) | R1 |');
	});
});

describe('forward-only runs (run.js --forward-only)', () => {
	const one = (ms: number) => ({ srlab: stats([ms]), torch: stats([ms / 2]), ratio: stats([2]) });
	const full = { run: 'R1', env: 'node', backend: 'wasm', variant: 'srlab', file: 'a.json', result: { models: ['progan'], step: { 1: one(10) }, forward: { progan: { 1: one(5) } }, load: {} } };
	const part = { run: 'R2', env: 'node', backend: 'wasm', variant: 'srlab', file: 'b.json', partial: { parts: ['load', 'forward'], models: ['heatmaps'] }, result: { models: ['heatmaps'], step: {}, forward: { heatmaps: { 1: one(7) } }, load: {} } };
	it('merge into the latest full record instead of replacing it', () => {
		const r = mergeLatest([full, part]).get('node:wasm:srlab') as typeof full & { merged: unknown[] };
		expect(Object.keys(r.result.forward).sort()).toEqual(['heatmaps', 'progan']);
		expect(r.result.step[1]).toBeDefined();
		expect(r.run).toBe('R1');
		expect(r.merged).toHaveLength(1);
		const md = renderReport(mergeLatest([full, part]));
		expect(md).toContain('node wasm: heatmaps from the forward-only run R2 (the rest of the row: R1).');
		expect(md).toContain('R2 node/wasm/srlab (load + forward of heatmaps only, merged into the row above)');
	});
	it('a later full record replaces both', () => {
		const r = mergeLatest([full, part, { ...full, run: 'R3' }]).get('node:wasm:srlab') as { run: string; merged?: unknown[] };
		expect(r.run).toBe('R3');
		expect(r.merged).toBeUndefined();
	});
});
