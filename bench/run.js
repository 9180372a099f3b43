#!/usr/bin/env node
// `npm run bench` (issue 7): srlab vs PyTorch on this machine, in one invocation.
//   Node:      tfjs cpu and wasm (+ WebGPU through Dawn, the `webgpu` npm package, when a GPU is
//              there; else skipped with the reason), vs the PyTorch reference (bench/torch_ref.py).
//   Chromium:  /usr/bin/chromium (flags of test/e2e/harness.js), tfjs webgpu, webgl, wasm, cpu.
//   App:       press Run in the srnam notebook until the first candidates are drawn.
// Writes bench/results/<run>-<env>-<backend>[-<variant>].json and regenerates BENCHMARKS.md.
//
// Options: --quick (few reps, short memory run), --only=node,browser,app (default all; add
//   srnam for the notebook's steps/s per backend and K, --ks=1,8),
//   --backends=wasm,cpu (filter), --no-baseline (skip the stock-tfjs before/after variants),
//   --torch-threads=N (default 1, matching tfjs's single-threaded wasm/cpu here),
//   --app-prebuilt (reuse build-bench/ instead of rebuilding the app),
//   --models=a,b (only these static/weights/ models; the step needs progan,degrader), --forward-only (Node: load + forward only: no
//   SR-NAM step, memory or before/after variants; the report merges it into the latest full run),
//   --help.
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startTorch } from './torch.js';
import { runSuite, restartsTarget, abKernels, fmt } from './suite.js';

// where srlab ships the forward-conv input gradient (= FAST_CONV_GRAD_BACKENDS, fastConvGrad.ts)
const FAST = ['wasm', 'webgl'];
import { writeReport } from './report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const weightsDir = join(root, 'static/weights');
const resultsDir = join(root, 'bench/results');

const arg = (name, dflt) => {
	const a = process.argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
	return a == null ? dflt : a.includes('=') ? a.split('=')[1] : true;
};
if (arg('help', false)) {
	// the option list is the header comment of this file
	const head = (await import('node:fs')).readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
	console.log(head.slice(1, head.findIndex((l) => l.startsWith('import'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
	process.exit(0);
}
const quick = Boolean(arg('quick', false));
const models = arg('models', null)?.split(',');
const forwardOnly = Boolean(arg('forward-only', false));
const only = String(arg('only', 'node,browser,app')).split(',');
const backendFilter = arg('backends', null)?.split(',');
const baseline = !arg('no-baseline', false) && !forwardOnly;
const torchThreads = Number(arg('torch-threads', 1));
const wants = (b) => !backendFilter || backendFilter.includes(b);

const run = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const machine = {
	cpu: os.cpus()[0]?.model,
	cores: os.cpus().length,
	memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
	platform: `${os.platform()} ${os.release()}`,
	node: process.version
};
const log = (s) => console.log(`[bench] ${s}`);
mkdirSync(resultsDir, { recursive: true });

function save(env, backend, variant, body) {
	const file = join(resultsDir, `${run}-${env}-${backend}${variant === 'srlab' ? '' : `-${variant}`}.json`);
	writeFileSync(file, JSON.stringify({ run, env, backend, variant, machine, ...body }, null, 1));
	log(`wrote ${file.slice(root.length + 1)}`);
}

const memorySteps = quick ? 1000 : 10_000;
log(`run ${run} on ${machine.cpu} (${machine.cores} cores), load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
// SRLAB_BENCH_PREBUILT=1: use bench/.build as it is (a GPU machine without esbuild/node_modules)
if (!process.env.SRLAB_BENCH_PREBUILT) await (await import('./build.js')).buildBench();
const torch = await startTorch({ threads: torchThreads });
if (torch.skipped) log(torch.skipped);
else log(`PyTorch ${torch.info.torch} on ${torch.info.device}, ${torch.info.threads} thread(s)`);
const ref = torch.skipped ? null : torch;
const common = () => ({ torch: ref ? ref.info : { skipped: torch.skipped }, loadBefore: os.loadavg() });

if (only.includes('node')) {
	const node = await import(pathToFileURL(join(root, 'bench/.build/node.mjs')).href);
	for (const backend of ['cpu', 'wasm'].filter(wants)) {
		const info = await node.init({ backend, weightsDir });
		const srlab = inProcess(node);
		const versions = { tfjs: srlab.bench.info().tfjs };
		// the shipped configuration: every speed-up srlab installs on this backend
		const fast = FAST.includes(backend) ? node.installFastConvGrad([backend]) : [];
		log(`node ${backend}: srlab (fast kernels on ${fast.join(', ') || 'none'})`);
		// plain-JS cpu: a K = 8 forward takes ~10–25 s here; K = 32 steps would take minutes each
		const slow = backend === 'cpu' ? { forwardKs: [1], stepKs: [1, 8], minReps: 1 } : {};
		const res = await runSuite(srlab, ref, { weightsDir, quick, memorySteps, log, models, forwardOnly, ...slow });
		const partial = forwardOnly ? { partial: { parts: ['load', 'forward'], models: res.models } } : {};
		save('node', backend, 'srlab', { ...common(), ...partial, adapter: info.adapter ?? null, threads: info.threads ?? 1, versions, kernels: fast, result: res, loadAfter: os.loadavg() });
		if (baseline) {
			const shipped = FAST.includes(backend);
			node.uninstallFastConvGrad(backend);
			// shipped: the whole step suite on stock kernels is the "before" vs PyTorch
			let b = null;
			if (shipped) {
				log(`node ${backend}: stock tfjs 4.22 kernels (the "before")`);
				b = await runSuite(inProcess(node), ref, { weightsDir, quick, log, stepOnly: true, stepKs: [1, 8] });
			}
			// stock vs replaced in alternation on one search (uninstall also drops the filter cache)
			const r = inProcess(node);
			for (const model of ['progan', 'degrader']) await r.call('load', { model });
			const ab = await abKernels(r, (on) => (on ? node.installFastConvGrad([backend]) : node.uninstallFastConvGrad(backend)), { K: backend === 'cpu' ? 1 : 8, reps: quick ? 2 : 4, n: 1 });
			await r.call('dispose');
			log(`node ${backend}: fast/stock conv-grad kernels A/B ratio ${fmt(ab.ratio.median, 2)} (K=${ab.K}: stock ${fmt(ab.stock.median)} ms, fast ${fmt(ab.fast.median)} ms per step)`);
			save('node', backend, shipped ? 'stock-tfjs' : 'fastconv', { ...common(), adapter: null, threads: info.threads ?? 1, versions, kernels: [], result: b, ab, loadAfter: os.loadavg() });
			if (shipped) node.installFastConvGrad([backend]);
			else node.uninstallFastConvGrad(backend);
		}
	}
	if (wants('webgpu')) await nodeWebGPU(node);
}

if (only.includes('browser') || only.includes('app')) {
	const { runBrowser } = await import('./browser.js');
	await runBrowser({ root, weightsDir, quick, baseline, ref, log, save, common, wants, models, memorySteps: quick ? 200 : 1000, parts: only, appPrebuilt: Boolean(arg('app-prebuilt', false)) });
}

// --only=srnam (not in the default set: minutes per backend on SwiftShader): steps/s of the Live
// SR-NAM notebook per backend and K (bench/srnam-browser.js, printed) on the build-bench/ app
if (only.includes('srnam')) {
	const { existsSync } = await import('node:fs');
	const { spawnSync } = await import('node:child_process');
	if (!existsSync(join(root, 'build-bench/200.html'))) log('srnam: no build-bench/ app: run with --only=app,srnam (or build it) first');
	else {
		const args = [(backendFilter ?? ['wasm', 'webgl', 'webgpu', 'cpu']).join(','), String(arg('ks', quick ? '1' : '1,8')), quick ? '2' : '3'];
		const r = spawnSync('node', [join(root, 'bench/srnam-browser.js'), ...args], { cwd: root, env: { ...process.env, SRLAB_BUILD_DIR: 'build-bench' }, stdio: 'inherit' });
		if (r.status !== 0) log(`srnam browser bench exited with ${r.status}`);
	}
}

if (ref) await ref.close();
const md = writeReport(root);
log(`wrote ${md.slice(root.length + 1)}`);

function inProcess(node) {
	const bench = node.createBench(node.nodeSource(weightsDir));
	return { bench, call: (op, args) => bench[op](args ?? {}) };
}

/** Node + Dawn WebGPU vs PyTorch-CUDA (only where both exist; else a skip record says why). */
async function nodeWebGPU(node) {
	let info;
	try {
		info = await node.init({ backend: 'webgpu', weightsDir });
	} catch (e) {
		log(`node webgpu skipped: ${e.message}`);
		save('node', 'webgpu', 'srlab', { ...common(), skipped: e.message });
		return;
	}
	const cuda = await startTorch({ threads: torchThreads, device: 'cuda' });
	const cref = cuda.skipped || !cuda.info.cuda ? null : cuda;
	if (!cref) log('PyTorch-CUDA unavailable: node webgpu runs without ratios');
	const srlab = inProcess(node);
	const res = await runSuite(srlab, cref, { weightsDir, quick, memorySteps, log, budgetScale: 0.5 });
	const target = await restartsTarget(srlab);
	log(`16 restarts × 300 steps: ${(target.ms / 1000).toFixed(2)} s (target < 10 s)`);
	save('node', 'webgpu', 'srlab', { torch: cref ? cref.info : { skipped: 'no PyTorch-CUDA' }, loadBefore: os.loadavg(), adapter: info.adapter, versions: { tfjs: srlab.bench.info().tfjs }, result: res, restarts: target, loadAfter: os.loadavg() });
	if (cref) await cref.close();
}
