// FID-proxy curve for the ProGAN model card: every stage dump a training run wrote to
// <run>/samples/ (train/progan/stage_samples.py: the untrained G and each level's stabilise-phase end,
// EMA generator, fixed seeded latents, nearest-upsampled to 64x64) against the faces64 test
// split, all at the same N, written into card.json's `fid_proxy`.
//
//   node scripts/card-fid.js [--run train/runs/cpu] [--card static/weights/progan/card.json]
//                            [--test <faces64-test.zip>] [--n 1000] [--json details.json] [--dry-run]
//
// The features are face-api's 128-D face-recognition descriptors (src/lib/eval), NOT
// Inception-v3: the value is an "FID-proxy", not comparable to FID numbers in papers. The test
// faces' descriptors are computed once and reused for every stage (same N for all values).
// Loads the TypeScript eval modules through Vite's module runner, as scripts/fid-proxy.js does.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `usage: node scripts/card-fid.js [--run DIR] [--card card.json] [--test faces64-test.zip] [--n 1000] [--json out.json] [--dry-run]`;

function defaultTestSet() {
	// same resolution order as train/common/data.py: <repo>/.data if non-empty, else ../shared/data
	const local = join(ROOT, '.data');
	const roots = existsSync(local) && readdirSync(local).length ? [local] : [];
	roots.push(join(ROOT, '..', 'shared', 'data'));
	for (const r of roots)
		for (const p of [join(r, 'faces', 'faces64-test.zip'), join(r, 'faces64-test.zip')]) if (existsSync(p)) return p;
	return join(ROOT, '..', 'shared', 'data', 'faces', 'faces64-test.zip');
}

function parseArgs(argv) {
	const a = {
		run: join(ROOT, 'train', 'runs', 'cpu'),
		card: join(ROOT, 'static', 'weights', 'progan', 'card.json'),
		test: undefined,
		n: 1000,
		json: undefined,
		dryRun: false
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--dry-run') a.dryRun = true;
		else if (arg === '--run') a.run = resolve(argv[++i]);
		else if (arg === '--card') a.card = resolve(argv[++i]);
		else if (arg === '--test') a.test = resolve(argv[++i]);
		else if (arg === '--json') a.json = resolve(argv[++i]);
		else if (arg === '--n') {
			a.n = Number(argv[++i]);
			if (!Number.isInteger(a.n) || a.n < 2) throw new Error(`--n needs an integer >= 2, got ${argv[i]}`);
		} else throw new Error(`unknown argument ${arg}`);
	}
	a.test ??= defaultTestSet();
	return a;
}

const load = async (rel) =>
	(await runnerImport(join(ROOT, rel), { configFile: false, logLevel: 'error', root: ROOT })).module;

const round = (v) => Number(v.toFixed(5));

export async function main(argv) {
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(USAGE);
		return 0;
	}
	const args = parseArgs(argv);
	const index = JSON.parse(readFileSync(join(args.run, 'samples', 'index.json'), 'utf8'));
	const runInfo = JSON.parse(readFileSync(join(args.run, 'run.json'), 'utf8'));
	const card = JSON.parse(readFileSync(args.card, 'utf8'));
	const entries = index.entries;
	// The card must describe the run whose dumps are measured, and the last dump must be the
	// exported (final) weights.
	const t = card.training ?? {};
	const same =
		t.images_seen === runInfo.images_seen && t.steps === runInfo.steps && t.seed === runInfo.cfg.seed && t.config === runInfo.config;
	if (!same && !args.dryRun)
		throw new Error(`${args.card} does not describe ${args.run} (images/steps/seed/config differ): export that run first`);
	if (!entries.length || entries[0].phase !== 'untrained') throw new Error(`${args.run}: no dump of the untrained generator`);
	const last = entries[entries.length - 1];
	if (!runInfo.finished || last.images_seen !== runInfo.images_seen)
		throw new Error(`${args.run}: the last stage dump (${last.images_seen} images) is not the finished run (${runInfo.images_seen})`);

	const { readImageSet } = await load('src/lib/eval/imageSets.ts');
	const { gaussianStats, frechetDistance } = await load('src/lib/eval/frechet.ts');
	const { FACE_DESCRIPTOR_DIM, FID_PROXY_LABEL, loadFaceFeatureExtractor } = await load('src/lib/eval/faceFeatures.ts');
	const t0 = performance.now();
	const extractor = await loadFaceFeatureExtractor({ backend: 'wasm' });

	const statsOf = async (path) => {
		const set = readImageSet(path, { limit: args.n });
		if (set.images.length !== args.n)
			throw new Error(`${path}: ${set.images.length} images, need exactly ${args.n} (values are only comparable at equal N)`);
		const f = await extractor.describe(set.images, { batchSize: 32 });
		return gaussianStats(f, set.images.length, FACE_DESCRIPTOR_DIM);
	};
	const ref = await statsOf(args.test);
	console.log(`reference: ${args.n} faces of ${args.test} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
	const results = [];
	for (const e of entries) {
		const s0 = performance.now();
		const fd = frechetDistance(await statsOf(join(args.run, 'samples', e.file)), ref);
		results.push({ ...e, value: fd.distance, meanTerm: fd.meanTerm, covTerm: fd.covTerm });
		console.log(
			`${FID_PROXY_LABEL.split(' (')[0]} ${e.phase.padEnd(9)} ${String(e.level).padStart(2)}px @ ${String(e.images_seen).padStart(6)} images: ` +
				`${fd.distance.toFixed(4)} (mean ${fd.meanTerm.toFixed(4)}, cov ${fd.covTerm.toFixed(4)}; ${((performance.now() - s0) / 1000).toFixed(1)} s)`
		);
	}
	const stages = results.filter((r) => r.phase === 'stab_end');
	const untrained = results[0].value;
	const final = results[results.length - 1].value;
	const rises = stages.filter((s, i) => s.value > (i ? stages[i - 1].value : untrained));
	console.log(
		final < untrained ? `falls from ${untrained.toFixed(4)} (untrained) to ${final.toFixed(4)} (final)` : `DOES NOT FALL: ${untrained} -> ${final}`
	);
	for (const r of rises) console.log(`  note: rises at the ${r.level}px stage end (${r.images_seen} images)`);

	const fidProxy = {
		metric: 'FID-proxy',
		note:
			'Fréchet distance between Gaussians fitted to face-api face-recognition descriptors (128-D) — NOT Inception-v3 ' +
			'features: not comparable to Inception FID values in papers; compare only with other FID-proxy values at the same N. Lower is closer.',
		reference: `faces64 test split, ${args.n.toLocaleString('en-US')} faces`,
		n: args.n,
		samples:
			`${args.n.toLocaleString('en-US')} samples of the EMA generator (the exported weights) from fixed seeded latents ` +
			`(seed ${index.latent_seed}), rendered at the stage's level (alpha 1) and nearest-upsampled to 64x64`,
		untrained: round(untrained),
		stages: stages.map((s) => ({ level: s.level, images_seen: s.images_seen, value: round(s.value) })),
		final: round(final),
		measured_by: 'scripts/card-fid.js (src/lib/eval, tfjs ' + extractor.backend + ' backend)',
		measured_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
	};
	if (args.json) writeFileSync(args.json, JSON.stringify({ ...fidProxy, details: results }, null, 2) + '\n');
	if (args.dryRun) {
		console.log(JSON.stringify(fidProxy, null, 1));
		return 0;
	}
	card.fid_proxy = fidProxy;
	delete card.fid_proxy_note;
	writeFileSync(args.card, JSON.stringify(card, null, 1));
	console.log(`wrote fid_proxy into ${args.card}`);
	return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		process.exitCode = await main(process.argv.slice(2));
	} catch (e) {
		console.error(e instanceof Error ? e.message : e);
		process.exitCode = 1;
	}
}
