// FID-proxy between two image sets of aligned face crops (CLI). Run through scripts/fid-proxy.js
// (Node 20 cannot run TypeScript itself):
//
//   npm run eval:fid -- <setA> <setB> [--limit N] [--seed S] [--json out.json]
//                       [--shape HxW] [--backend wasm|cpu] [--batch 32]
//
// A set is a directory of PNG/JPEG files, a .tar shard, a .zip, a .npy (uint8 NHWC) or a raw
// .u8 (needs --shape). --limit reads the first N images of each set; with --seed, a seeded
// random subset of N of each (the same seed for both sets).
//
// The features are face-api's 128-D face recognition descriptors, NOT Inception-v3: the value
// is NOT comparable to FID numbers in papers. Compare FID-proxy values only with each other,
// at the same set sizes.

import { writeFileSync } from 'node:fs';
import { frechetDistance, gaussianStats } from '../src/lib/eval/frechet';
import { FACE_DESCRIPTOR_DIM, FID_PROXY_LABEL, loadFaceFeatureExtractor } from '../src/lib/eval/faceFeatures';
import { readImageSet, type ReadOptions } from '../src/lib/eval/imageSets';

const USAGE = `usage: npm run eval:fid -- <setA> <setB> [--limit N] [--seed S] [--json out.json] [--shape HxW] [--backend wasm|cpu] [--batch 32]
  sets: directory of PNG/JPEG, .tar, .zip, .npy (uint8 NHWC) or .u8 (raw uint8 NHWC, needs --shape)`;

interface Args {
	sets: string[];
	limit?: number;
	seed?: number;
	json?: string;
	shape?: [number, number];
	backend: 'wasm' | 'cpu';
	batch: number;
}

function parseArgs(argv: string[]): Args {
	const a: Args = { sets: [], backend: 'wasm', batch: 32 };
	const int = (flag: string, v: string | undefined) => {
		const n = Number(v);
		if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got ${v}`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) {
			a.sets.push(arg);
			continue;
		}
		const v = argv[++i];
		if (arg === '--limit') a.limit = int(arg, v);
		else if (arg === '--seed') a.seed = int(arg, v);
		else if (arg === '--batch') a.batch = Math.max(1, int(arg, v));
		else if (arg === '--json') a.json = v;
		else if (arg === '--shape') {
			const m = /^(\d+)x(\d+)$/.exec(v ?? '');
			if (!m) throw new Error(`--shape needs HxW, e.g. 64x64, got ${v}`);
			a.shape = [Number(m[1]), Number(m[2])];
		} else if (arg === '--backend') {
			if (v !== 'wasm' && v !== 'cpu') throw new Error(`--backend is wasm or cpu, got ${v}`);
			a.backend = v;
		} else throw new Error(`unknown option ${arg}`);
	}
	if (a.sets.length !== 2) throw new Error('give exactly two image sets');
	return a;
}

export async function main(argv: string[]): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(USAGE);
		return 0;
	}
	let args: Args;
	try {
		args = parseArgs(argv);
	} catch (e) {
		console.error(`${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	const t0 = performance.now();
	const extractor = await loadFaceFeatureExtractor({ backend: args.backend });
	const loadSeconds = (performance.now() - t0) / 1000;
	const readOpts: ReadOptions = { limit: args.limit, seed: args.seed, shape: args.shape };
	const stats = [];
	const sets = [];
	for (const path of args.sets) {
		const r0 = performance.now();
		const set = readImageSet(path, readOpts);
		const readSeconds = (performance.now() - r0) / 1000;
		if (set.images.length < 2) throw new Error(`${path}: need at least 2 images, found ${set.images.length}`);
		const f0 = performance.now();
		const features = await extractor.describe(set.images, {
			batchSize: args.batch,
			onProgress: (done, total) => process.stderr.isTTY && process.stderr.write(`\r${path}: ${done}/${total}`)
		});
		if (process.stderr.isTTY) process.stderr.write('\n');
		const featureSeconds = (performance.now() - f0) / 1000;
		stats.push(gaussianStats(features, set.images.length, FACE_DESCRIPTOR_DIM));
		const { width, height } = set.images[0];
		sets.push({ path, n: set.images.length, total: set.total, width, height, readSeconds, featureSeconds });
	}
	const d0 = performance.now();
	const fd = frechetDistance(stats[0], stats[1]);
	const frechetSeconds = (performance.now() - d0) / 1000;
	const n = sets[0].n + sets[1].n;
	const secPer100 = ((sets[0].featureSeconds + sets[1].featureSeconds) / n) * 100;

	console.log(`${FID_PROXY_LABEL}: ${fd.distance.toFixed(4)}`);
	console.log(`  mean term ${fd.meanTerm.toFixed(4)}, covariance term ${fd.covTerm.toFixed(4)}`);
	for (const [i, s] of sets.entries())
		console.log(`  set ${'AB'[i]}: N=${s.n} of ${s.total} (${s.width}×${s.height}) ${s.path}; read ${s.readSeconds.toFixed(1)} s, features ${s.featureSeconds.toFixed(1)} s`);
	console.log(`  backend ${extractor.backend}: ${secPer100.toFixed(2)} s per 100 images; model load ${loadSeconds.toFixed(1)} s, Fréchet ${frechetSeconds.toFixed(2)} s`);
	if (Math.min(sets[0].n, sets[1].n) < 500) console.log('  note: small sets bias the value upwards; compare only at equal N');

	if (args.json) {
		const out = {
			metric: 'FID-proxy',
			note: 'Fréchet distance of face-api face-recognition descriptors (128-D). NOT comparable to Inception-FID values in papers.',
			value: fd.distance,
			meanTerm: fd.meanTerm,
			covTerm: fd.covTerm,
			limit: args.limit ?? null,
			seed: args.seed ?? null,
			sets,
			backend: extractor.backend,
			secondsPer100Images: secPer100
		};
		writeFileSync(args.json, JSON.stringify(out, null, 2) + '\n');
	}
	return 0;
}
