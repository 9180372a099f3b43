// Chromium part of `npm run bench`: the bench page (bench/browser.html + bench/.build/browser.js)
// on a loopback server, one page per tfjs backend, driven op by op with page.evaluate and
// interleaved with the PyTorch reference (bench/suite.js); then the app itself: the srnam
// notebook, time from pressing Run to the first candidates on screen.
import os from 'node:os';
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../test/e2e/harness.js';
import { runSuite, abKernels, abRunners, stats, fmt } from './suite.js';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream' };
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const FAST_DEFAULT = ['wasm', 'webgl']; // = FAST_CONV_GRAD_BACKENDS in src/lib/backend/fastConvGrad.ts

/** The bench page's server; `isolated` adds COOP/COEP (as scripts/serve.js does) so wasm may run threads. */
export function serveBench(root, { isolated = true } = {}) {
	const mounts = [
		['/weights/', join(root, 'static/weights')],
		['/vendor/tfjs-wasm/', join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist')],
		['/bench/', join(root, 'bench/.build')]
	];
	const server = createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		let file = path === '/' ? join(root, 'bench/browser.html') : null;
		for (const [prefix, dir] of mounts) if (!file && path.startsWith(prefix)) file = normalize(join(dir, path.slice(prefix.length)));
		if (!file || !existsSync(file) || !statSync(file).isFile()) {
			res.writeHead(404).end();
			return;
		}
		const isolation = isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
		res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache', ...isolation });
		createReadStream(file).pipe(res);
	});
	return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const isSwiftShader = (adapter) => /swiftshader/i.test(adapter ?? '');

export async function runBrowser({ root, weightsDir, quick, baseline, ref, log, save, common, wants, models, memorySteps, parts, appPrebuilt }) {
	let browser;
	try {
		browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
	} catch (e) {
		const why = `Chromium did not start (${e.message.split('\n')[0]}); set CHROMIUM_PATH`;
		log(why);
		for (const env of ['chromium', 'app'].filter((x) => parts.includes(x === 'chromium' ? 'browser' : x)))
			for (const b of BACKENDS.filter(wants)) save(env, b, 'srlab', { ...common(), skipped: why });
		return;
	}
	const versions = { chromium: browser.version() };
	try {
		if (parts.includes('browser')) {
			const server = await serveBench(root);
			const base = `http://127.0.0.1:${server.address().port}/`;
			// the wasm "before" of threads: the same page without COOP/COEP (tfjs's one-thread SIMD build)
			const plain = await serveBench(root, { isolated: false });
			for (const backend of BACKENDS.filter(wants)) {
				const context = await browser.newContext();
				const page = await context.newPage();
				page.on('pageerror', (e) => log(`page error (${backend}): ${e}`));
				await page.goto(base);
				await page.waitForFunction(() => 'srlabBench' in window);
				const info = await page.evaluate((b) => window.srlabBench.init(b), backend);
				if (info.backend !== backend) {
					log(`chromium ${backend} skipped: ${info.message ?? `got ${info.backend}`}`);
					save('chromium', backend, 'srlab', { ...common(), versions, skipped: info.message ?? `started ${info.backend} instead` });
					await context.close();
					continue;
				}
				const tfjs = (await page.evaluate(() => window.srlabBench.call('info'))).tfjs;
				const srlab = { call: (op, args) => page.evaluate(([op, args]) => window.srlabBench.call(op, args), [op, args ?? {}]) };
				// software GPUs (SwiftShader: a K = 8 degrader forward alone takes minutes) and plain JS:
				// K = 1 only, one timed rep when the budget is spent
				const slow = isSwiftShader(info.adapter) || backend === 'cpu';
				const stepKs = slow ? [1] : quick ? [1, 8] : [1, 8, 32];
				const sl = slow ? { forwardKs: [1], minReps: 1, budgetScale: 0.5, stepsPerCall: 1 } : {};
				log(`chromium ${backend} (${info.adapter ?? 'no adapter'})`);
				const res = await runSuite(srlab, ref, { weightsDir, quick, models, memorySteps: slow ? memorySteps / 5 : memorySteps, log, stepKs, ...sl });
				save('chromium', backend, 'srlab', { ...common(), adapter: info.adapter ?? null, threads: info.threads ?? null, isolated: info.isolated, versions: { ...versions, tfjs }, kernels: FAST_DEFAULT.includes(backend) ? [backend] : [], result: res, loadAfter: os.loadavg() });
				if (baseline) {
					// shipped with the fast kernel: measure without it (before); else with it (candidate)
					const shipped = FAST_DEFAULT.includes(backend);
					await page.evaluate((on) => window.srlabBench.setFastConvGrad(on), !shipped);
					const variant = shipped ? 'stock-tfjs' : 'fastconv';
					log(`chromium ${backend}: ${variant}`);
					const b = await runSuite(srlab, ref, { weightsDir, quick, models, log, stepOnly: true, stepKs: slow ? [1] : [1, 8], ...sl });
					// and stock vs replaced in alternation on one search (the fairer before/after)
					await srlab.call('load', { model: 'progan' });
					await srlab.call('load', { model: 'degrader' });
					const ab = await abKernels(srlab, (on) => page.evaluate((on) => window.srlabBench.setFastConvGrad(on), on), { K: 1, reps: quick ? 2 : 4, n: slow ? 1 : 5 });
					log(`chromium ${backend}: fast/stock conv-grad kernels A/B ratio ${fmt(ab.ratio.median, 2)} (stock ${fmt(ab.stock.median)} ms, fast ${fmt(ab.fast.median)} ms per step)`);
					save('chromium', backend, variant, { ...common(), adapter: info.adapter ?? null, versions: { ...versions, tfjs }, result: b, ab, loadAfter: os.loadavg() });
				}
				if (baseline && backend === 'wasm') await oneThreadVariant({ browser, base: `http://127.0.0.1:${plain.address().port}/`, threaded: srlab, threads: info.threads, weightsDir, models, quick, ref, log, save, common, versions, tfjs });
				await context.close();
			}
			await new Promise((r) => server.close(r));
			await new Promise((r) => plain.close(r));
		}
		if (parts.includes('app')) await appFirstCandidate({ root, browser, versions, quick, log, save, common, wants, appPrebuilt });
	} finally {
		await browser.close();
	}
}

/**
 * wasm before/after of threads: the step suite on a page that is not cross-origin isolated (one
 * thread), then that page and the isolated one (`threaded`) stepping the same search in alternation.
 */
async function oneThreadVariant({ browser, base, threaded, threads, weightsDir, models, quick, ref, log, save, common, versions, tfjs }) {
	const context = await browser.newContext();
	try {
		const page = await context.newPage();
		await page.goto(base);
		await page.waitForFunction(() => 'srlabBench' in window);
		const info = await page.evaluate(() => window.srlabBench.init('wasm'));
		const single = { call: (op, args) => page.evaluate(([op, args]) => window.srlabBench.call(op, args), [op, args ?? {}]) };
		log(`chromium wasm: 1-thread (not isolated: ${!info.isolated}, ${info.threads} thread(s))`);
		const res = await runSuite(single, ref, { weightsDir, quick, models, log, stepOnly: true, stepKs: quick ? [1, 8] : [1, 8, 32] });
		const abThreads = [];
		for (const r of [single, threaded]) for (const model of ['progan', 'degrader']) await r.call('load', { model });
		for (const K of [1, 8]) {
			const ab = await abRunners(single, threaded, { K, reps: quick ? 2 : 5, n: K === 1 ? 3 : 1 });
			abThreads.push({ ...ab, threads });
			log(`chromium wasm: threads/1-thread A/B at K=${K}: ratio ${fmt(ab.ratio.median, 2)} (1 thread ${fmt(ab.single.median)} ms, threaded ${fmt(ab.threaded.median)} ms per step)`);
		}
		for (const r of [single, threaded]) await r.call('dispose');
		save('chromium', 'wasm', '1-thread', { ...common(), adapter: null, threads: info.threads ?? null, isolated: info.isolated, versions: { ...versions, tfjs }, result: res, abThreads, loadAfter: os.loadavg() });
	} finally {
		await context.close();
	}
}

/** The srnam notebook, built into build-bench: Run pressed → data-step > 0 and a frame drawn. */
async function appFirstCandidate({ root, browser, versions, quick, log, save, common, wants, appPrebuilt }) {
	const dir = join(root, 'build-bench');
	const env = { ...process.env, SRLAB_BUILD_DIR: 'build-bench' };
	// --app-prebuilt: reuse build-bench/ from an earlier run (same sources)
	const steps = appPrebuilt && existsSync(join(dir, '200.html')) ? [] : [['node', ['scripts/vendor.js']], ['npx', ['vite', 'build', '--logLevel', 'warn']]];
	if (steps.length) log('building the app into build-bench/ (vite build)…');
	for (const [cmd, args] of steps) {
		const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8' });
		if (r.status !== 0) {
			log(`app build failed: ${(r.stderr || r.stdout).slice(-2000)}`);
			for (const b of BACKENDS.filter(wants)) save('app', b, 'srlab', { ...common(), versions, skipped: 'the app did not build' });
			return;
		}
	}
	process.env.SRLAB_BUILD_DIR = dir;
	const { startServer } = await import('../scripts/serve.js');
	const server = await startServer(0);
	const base = `http://127.0.0.1:${server.address().port}`;
	try {
		for (const backend of BACKENDS.filter(wants)) {
			const times = [];
			let K;
			let skipped;
			for (let rep = 0; rep < (quick ? 1 : 3) && !skipped; rep++) {
				const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' }); // no precache download inside the timing
				const page = await context.newPage();
				try {
					await page.goto(`${base}/notebooks/srnam?backend=${backend}`);
					await page.waitForSelector('[data-testid="cell-search"][data-status="done"]', { timeout: 300_000 });
					await page.waitForSelector('[data-testid="srnam-run"]:not([disabled])', { timeout: 300_000 });
					const got = await page.getAttribute('[data-testid="backend-badge"]', 'data-backend');
					if (got !== backend) {
						skipped = `the notebook started ${got || 'no backend'} instead`;
						break;
					}
					// the initial render (step 0) must be on screen first, as a person would see it
					await page.waitForSelector('[data-testid="srnam-search"][data-losses]:not([data-losses=""])', { timeout: 300_000 });
					times.push(
						await page.evaluate(
							() =>
								new Promise((resolve) => {
									const el = document.querySelector('[data-testid="srnam-search"]');
									const t0 = performance.now();
									const obs = new MutationObserver(() => {
										if (Number(el.getAttribute('data-step')) > 0) {
											obs.disconnect();
											requestAnimationFrame(() => resolve(performance.now() - t0));
										}
									});
									obs.observe(el, { attributes: true, attributeFilter: ['data-step'] });
									document.querySelector('[data-testid="srnam-run"]').click();
								})
						)
					);
					K = await page.evaluate(() => document.querySelectorAll('[data-testid="srnam-candidate"]').length);
				} catch (e) {
					skipped = `notebook did not get there: ${e.message.split('\n')[0]}`;
				} finally {
					await context.close();
				}
			}
			if (skipped && !times.length) {
				log(`app ${backend} skipped: ${skipped}`);
				save('app', backend, 'srlab', { ...common(), versions, skipped });
				continue;
			}
			const s = stats(times);
			log(`app ${backend}: Run → first candidates ${fmt(s.median)} ms (K = ${K})`);
			save('app', backend, 'srlab', { ...common(), versions, K, firstCandidate: s, raw: times });
		}
	} finally {
		await new Promise((r) => server.close(r));
	}
}
