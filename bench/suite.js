// The measurements of `npm run bench`, the same for every place srlab runs (Node, a Chromium
// page): each case runs srlab and the PyTorch reference back to back, rep after rep, so load
// from other processes on this shared machine hits both alike, and the headline is the median
// of the per-rep ratios srlab/PyTorch.
//
// srlab: { call(op, args) } over bench/core.ts; torch: bench/torch.js client, or null (then
// absolute times only).
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const STEP_KS = [1, 8, 32];
export const FORWARD_KS = [1, 8];

/** Shipped models: every static/weights/<name>/model.json. */
export function shippedModels(weightsDir) {
	return readdirSync(weightsDir)
		.filter((d) => existsSync(join(weightsDir, d, 'model.json')))
		.sort();
}

/** A smooth, fixed 16×16 RGB target in [-1, 1] (not a dataset face: timing does not need one). */
export function benchTarget() {
	const t = [];
	for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) for (let c = 0; c < 3; c++) t.push(0.6 * Math.sin((x + 2 * c) / 4) * Math.cos((y - c) / 5));
	return t;
}

export function stats(xs) {
	const s = [...xs].sort((a, b) => a - b);
	const q = (p) => {
		const i = (s.length - 1) * p;
		const lo = Math.floor(i);
		return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
	};
	return { n: s.length, median: q(0.5), min: s[0], max: s.at(-1), q1: q(0.25), q3: q(0.75) };
}

/**
 * Run srlab and torch alternately `reps` times (fewer once `budgetMs` of srlab time is spent,
 * never fewer than minReps), after `warmup` untimed rounds. `per` divides each time (steps).
 */
async function paired(srlab, torch, fn, { reps, minReps = 2, warmup = 1, budgetMs, per = 1 }) {
	let first;
	for (let i = 0; i < warmup; i++) {
		const a = await fn(srlab);
		first ??= a.ms / per;
		if (torch) await fn(torch);
	}
	const s = [];
	const t = [];
	const ratio = [];
	let spent = 0;
	for (let i = 0; i < reps && (i < minReps || spent < budgetMs); i++) {
		const a = (await fn(srlab)).ms / per;
		spent += a * per;
		s.push(a);
		if (torch) {
			const b = (await fn(torch)).ms / per;
			t.push(b);
			ratio.push(a / b);
		}
	}
	return { srlab: stats(s), torch: torch ? stats(t) : null, ratio: torch ? stats(ratio) : null, firstMs: first, srlabRaw: s, torchRaw: t };
}

/**
 * The whole suite on one srlab runner. opts: { weightsDir, quick, memorySteps, log, models (only
 * these shipped models), forwardOnly (just load + forward: no step, no memory), stepKs,
 * forwardKs, stepsPerCall (default 5/2/1 for K = 1/8/32), stepOnly (just the SR-NAM step: for before/after variants), budgetScale, minReps
 * (software GPUs: 1) }.
 * Returns the result object that bench/run.js writes as JSON.
 */
export async function runSuite(srlab, torch, opts) {
	const log = opts.log ?? (() => {});
	const q = opts.quick;
	const budget = (q ? 8_000 : 40_000) * (opts.budgetScale ?? 1);
	const models = shippedModels(opts.weightsDir).filter((m) => !opts.models || opts.models.includes(m));
	const out = { models, load: {}, forward: {}, step: {}, memory: null };

	// Weight download/read + integrity check + decode (the cold start of each model).
	for (const m of opts.stepOnly ? [] : models) {
		out.load[m] = await paired(srlab, torch, (r) => r.call('load', { model: m }), { reps: q ? 2 : 3, warmup: 0, budgetMs: budget });
		log(`load ${m}: srlab ${fmt(out.load[m].srlab.median)} ms, torch ${fmt(out.load[m].torch?.median)} ms`);
	}
	const kinds = {};
	for (const m of models) kinds[m] = (await srlab.call('load', { model: m })).kind;
	if (torch) for (const m of models) await torch.call('load', { model: m });

	// Forward of every shipped model (firstMs: the first call, with shader compilation on GPUs).
	for (const m of opts.stepOnly ? [] : models) {
		if (!kinds[m]) {
			out.forward[m] = { skipped: 'unknown architecture (no g/, d/, s/, h/ or p/ tensors)' };
			continue;
		}
		out.forward[m] = {};
		for (const K of opts.forwardKs ?? FORWARD_KS) {
			const r = await paired(srlab, torch, (x) => x.call('forward', { model: m, K }), { reps: q ? 3 : 7, minReps: opts.minReps, warmup: 1, budgetMs: budget });
			out.forward[m][K] = r;
			log(`forward ${m} K=${K}: srlab ${fmt(r.srlab.median)} ms, torch ${fmt(r.torch?.median)} ms, ratio ${fmt(r.ratio?.median, 2)}`);
		}
	}

	// The SR-NAM step (Eq. 6 forward through G and D, backward to z, Adam), per step.
	if (opts.forwardOnly) {
		// not measured in this run (bench/report.js merges it into the latest full record)
	} else if (kinds.progan === 'progan' && kinds.degrader === 'degrader') {
		const target = benchTarget();
		for (const K of opts.stepKs ?? STEP_KS) {
			const n = opts.stepsPerCall ?? (K === 1 ? 5 : K === 8 ? 2 : 1);
			await srlab.call('setup', { K, seed: 1, target });
			if (torch) await torch.call('setup', { K, seed: 1, target });
			const r = await paired(srlab, torch, (x) => x.call('steps', { n }), { reps: q ? 2 : 5, minReps: opts.minReps, warmup: 1, budgetMs: budget * 1.5, per: n });
			out.step[K] = { ...r, stepsPerCall: n };
			log(`step K=${K}: srlab ${fmt(r.srlab.median)} ms/step, torch ${fmt(r.torch?.median)} ms/step, ratio ${fmt(r.ratio?.median, 2)}`);
		}
	} else out.step = { skipped: 'progan and degrader weights are both needed' };

	// tf.memory() over many tiny steps must be flat.
	if (opts.memorySteps && !opts.stepOnly && !opts.forwardOnly) {
		const mem = await srlab.call('memory', { steps: opts.memorySteps, every: Math.max(10, opts.memorySteps / 100) });
		const later = mem.samples.slice(1);
		const span = (k) => Math.max(...later.map((s) => s[k])) - Math.min(...later.map((s) => s[k]));
		out.memory = { steps: opts.memorySteps, ms: mem.ms, first: mem.samples[0], last: mem.samples.at(-1), tensorSpan: span('tensors'), byteSpan: span('bytes'), flat: span('tensors') === 0 && span('bytes') === 0, samples: mem.samples };
		log(`memory: ${opts.memorySteps} tiny steps, tensors ${out.memory.first.tensors}→${out.memory.last.tensors}, bytes ${out.memory.first.bytes}→${out.memory.last.bytes} (${out.memory.flat ? 'flat' : 'NOT flat'})`);
	}
	await srlab.call('dispose');
	return out;
}

/** GPU target (issue 7): 16 restarts × 300 steps, in the notebook's chunks of 5. */
export async function restartsTarget(srlab, { K = 16, steps = 300, chunk = 5 } = {}) {
	await srlab.call('setup', { K, seed: 1, target: benchTarget() });
	await srlab.call('steps', { n: chunk }); // warm-up (compiles)
	let ms = 0;
	for (let i = 0; i < steps; i += chunk) ms += (await srlab.call('steps', { n: chunk })).ms;
	return { K, steps, chunk, ms };
}

export function fmt(v, d = 0) {
	return v == null || !Number.isFinite(v) ? '—' : v.toFixed(d);
}

/**
 * A/B of two kernel sets on one runner: `toggle(on)` switches srlab's replacement kernels; the
 * same search alternates stock and replaced steps, so load hits both alike. ratio = fast/stock.
 */
export async function abKernels(srlab, toggle, { K = 1, reps = 4, n = 1 } = {}) {
	await srlab.call('setup', { K, seed: 1, target: benchTarget() });
	const stock = [];
	const fast = [];
	const ratio = [];
	for (let i = -1; i < reps; i++) {
		await toggle(false);
		const a = (await srlab.call('steps', { n })).ms / n;
		await toggle(true);
		const b = (await srlab.call('steps', { n })).ms / n;
		if (i < 0) continue; // warm-up pair
		stock.push(a);
		fast.push(b);
		ratio.push(b / a);
	}
	return { K, n, stock: stats(stock), fast: stats(fast), ratio: stats(ratio) };
}

/**
 * A/B of two runners (two pages: not isolated, 1 thread vs isolated, threads) on the same search:
 * both set up alike, then steps alternate between them, so load hits both alike. ratio = b/a.
 */
export async function abRunners(a, b, { K = 8, reps = 4, n = 1 } = {}) {
	for (const r of [a, b]) await r.call('setup', { K, seed: 1, target: benchTarget() });
	const single = [];
	const threaded = [];
	const ratio = [];
	for (let i = -1; i < reps; i++) {
		const x = (await a.call('steps', { n })).ms / n;
		const y = (await b.call('steps', { n })).ms / n;
		if (i < 0) continue; // warm-up pair
		single.push(x);
		threaded.push(y);
		ratio.push(y / x);
	}
	return { K, n, single: stats(single), threaded: stats(threaded), ratio: stats(ratio) };
}
