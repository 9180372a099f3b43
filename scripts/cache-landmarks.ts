// Teacher landmark cache for paper 003's heatmap losses (CLI). Run through
// scripts/cache-landmarks.js (`npm run cache:landmarks`):
//
//   npm run cache:landmarks -- [--data /work/shared/data/faces] [--out .cache/landmarks]
//                              [--train N] [--test N] [--budget-min 15] [--batch 16] [--backend wasm|cpu]
//
// For each split of faces128 it writes <out>/faces-<split>.f32 (float32 [N,68,2], x,y in pixel
// coordinates of the 128×128 face, row i = split index i) and faces-<split>.json (metadata).
// The teacher is face-api's 68-point landmark net run on the whole crop (no detection: the faces
// are already tight aligned crops). Without --train/--test the rate is measured on the first
// batch and, if the whole set would exceed --budget-min, a prefix subset (default 4,000 train +
// 500 test) is cached instead; the JSON records which. Derived data: never commit it.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLandmarkTeacher, LANDMARK_COUNT } from '../src/lib/eval/faceLandmarks';
import { decodeImage, tarMembers, type U8Image } from '../src/lib/eval/imageSets';
import { DEFAULT_SIGMA_128 } from '../src/lib/heatmaps/render';

interface Shard {
	file: string;
	first_index: number;
	count: number;
}
interface Args {
	data: string;
	out: string;
	train?: number;
	test?: number;
	budgetMin: number;
	batch: number;
	backend: 'wasm' | 'cpu';
}

const USAGE = 'usage: npm run cache:landmarks -- [--data DIR] [--out DIR] [--train N] [--test N] [--budget-min 15] [--batch 16] [--backend wasm|cpu]';
const SUBSET = { train: 4000, test: 500 };

function parseArgs(argv: string[]): Args {
	const a: Args = { data: '/work/shared/data/faces', out: '.cache/landmarks', budgetMin: 15, batch: 16, backend: 'wasm' };
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const v = argv[++i];
		const int = () => {
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v}`);
			return n;
		};
		if (flag === '--data') a.data = v;
		else if (flag === '--out') a.out = v;
		else if (flag === '--train') a.train = int();
		else if (flag === '--test') a.test = int();
		else if (flag === '--budget-min') a.budgetMin = int();
		else if (flag === '--batch') a.batch = int();
		else if (flag === '--backend' && (v === 'wasm' || v === 'cpu')) a.backend = v;
		else throw new Error(`unknown option ${flag} ${v ?? ''}`);
	}
	return a;
}

/** Decode split indices [0, n) of faces128 in index order (member %06d.jpg = split index, in the shard holding it). */
function* faces(dataDir: string, shards: Shard[], n: number): Generator<U8Image> {
	let done = 0;
	for (const shard of shards) {
		if (done >= n) return;
		const bytes = new Uint8Array(readFileSync(join(dataDir, shard.file)));
		const members = tarMembers(bytes).sort((x, y) => (x.name < y.name ? -1 : 1));
		for (let k = 0; k < members.length && done < n; k++, done++) {
			const m = members[k];
			const expected = `${String(done).padStart(6, '0')}.jpg`; // members are named by split index
			if (m.name !== expected) throw new Error(`${shard.file}: member ${m.name}, expected ${expected}`);
			const img = decodeImage(bytes.subarray(m.offset, m.offset + m.size), m.name);
			if (img.width !== 128 || img.height !== 128) throw new Error(`${m.name}: ${img.width}×${img.height}, expected 128×128`);
			yield img;
		}
	}
}

export async function main(argv: string[]): Promise<number> {
	let args: Args;
	try {
		args = parseArgs(argv);
	} catch (e) {
		console.error(`${(e as Error).message}\n${USAGE}`);
		return 2;
	}
	const manifest = JSON.parse(readFileSync(join(args.data, 'manifest.json'), 'utf8'));
	const splits = manifest.datasets.faces128.splits as Record<string, { count: number; shards: Shard[] }>;
	const teacher = await loadLandmarkTeacher({ backend: args.backend });
	mkdirSync(args.out, { recursive: true });

	// Rate probe on one batch of test faces, to decide full set vs subset before the long run.
	const probe = [...faces(args.data, splits.test.shards, args.batch)];
	await teacher.landmarks(probe.slice(0, 2)); // warm-up (kernel compilation)
	const p0 = performance.now();
	await teacher.landmarks(probe, { batchSize: args.batch });
	const secPerFace = (performance.now() - p0) / 1000 / probe.length;
	const fullMin = ((splits.train.count + splits.test.count) * secPerFace) / 60;
	const subset = args.train === undefined && args.test === undefined && fullMin > args.budgetMin;
	console.log(`teacher on ${teacher.backend}: ${(1 / secPerFace).toFixed(1)} faces/s (landmarks only); full set ≈ ${fullMin.toFixed(1)} min${subset ? ` > ${args.budgetMin} min budget: caching the first ${SUBSET.train} train + ${SUBSET.test} test` : ''}`);

	for (const split of ['test', 'train'] as const) {
		const info = splits[split];
		const want = args[split] ?? (subset ? SUBSET[split] : info.count);
		const n = Math.min(want, info.count);
		const out = new Float32Array(n * LANDMARK_COUNT * 2);
		const t0 = performance.now();
		let batch: U8Image[] = [];
		let done = 0;
		const flush = async () => {
			out.set(await teacher.landmarks(batch, { batchSize: args.batch }), done * LANDMARK_COUNT * 2);
			done += batch.length;
			batch = [];
			if (process.stderr.isTTY) process.stderr.write(`\r${split}: ${done}/${n}`);
		};
		for (const img of faces(args.data, info.shards, n)) {
			batch.push(img);
			if (batch.length === args.batch) await flush();
		}
		if (batch.length) await flush();
		if (process.stderr.isTTY) process.stderr.write('\n');
		const seconds = (performance.now() - t0) / 1000;
		writeFileSync(join(args.out, `faces-${split}.f32`), new Uint8Array(out.buffer));
		const meta = {
			count: n,
			shape: [n, LANDMARK_COUNT, 2],
			dtype: 'float32 little-endian',
			coords: 'x,y pixels in 128x128',
			coords_note: 'continuous: pixel i spans [i, i+1), its centre is i + 0.5 (face-api convention)',
			order: {
				by: 'split index',
				description: `row i = faces128 ${split} index i = tar member %06d.jpg named i, in the shard with first_index <= i < first_index + count`,
				first: 0,
				count: n,
				of: info.count,
				subset: n < info.count ? `first ${n} of ${info.count} (${subset ? `the measured rate made the full set exceed the ${args.budgetMin} min budget` : 'limit given on the command line'})` : null,
				shards: info.shards.map(({ file, first_index, count }) => ({ file, first_index, count }))
			},
			sigma_px: DEFAULT_SIGMA_128,
			sigma_note: 'suggested Gaussian sigma (pixels at 128x128; halve it at 64x64) for rendering the points as heatmaps, as src/lib/heatmaps/render.ts does',
			landmark_order: '68-point iBUG/dlib: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67',
			teacher: `@vladmandic/face-api faceLandmark68Net (face_landmark_68_model), whole 128x128 crop as the face box, tfjs ${teacher.backend}`,
			seconds: Math.round(seconds),
			faces_per_second: Number((n / seconds).toFixed(2)),
			created: new Date().toISOString()
		};
		writeFileSync(join(args.out, `faces-${split}.json`), JSON.stringify(meta, null, 1) + '\n');
		console.log(`${split}: ${n} faces in ${seconds.toFixed(0)} s → ${join(args.out, `faces-${split}.f32`)}`);
	}
	return 0;
}
