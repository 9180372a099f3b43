// The one model loader (src/models/load.ts) and the GAN/SR card reader (src/models/cards.ts),
// on the shipped ProGAN: loading through fetch with byte progress, one load kept per backend,
// errors that name the model (a corrupt shard, a missing folder); the card's facts and the
// stand-in flag.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCard, parseStudentCard } from '../../src/models/cards';
import { modelLoader } from '../../src/models/load';
import { MODELS } from '../../src/models/catalog';

const DIR = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const HAVE_WEIGHTS = existsSync(join(DIR, 'model.json'));
if (!HAVE_WEIGHTS) console.warn(`models.load.test: no exported ProGAN weights in ${DIR}; the loading test is SKIPPED (set PROGAN_WEIGHTS_DIR or export to static/weights/progan).`);

const loadCtx = () => ({ signal: new AbortController().signal });

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe.skipIf(!HAVE_WEIGHTS)(`model loader on the exported ProGAN (${DIR})`, () => {
	it('loads through fetch with progress, reuses the load, names the model when a shard is corrupt', async () => {
		let fetches = 0;
		const fakeFetch = (corrupt: boolean) =>
			(async (u: RequestInfo | URL) => {
				fetches++;
				const name = String(u).split('/').pop()!;
				if (!existsSync(join(DIR, name))) return new Response('no', { status: 404 });
				const b = new Uint8Array(readFileSync(join(DIR, name)));
				if (corrupt && name.endsWith('.bin')) b[100] ^= 0xff;
				return new Response(b);
			}) as typeof fetch;
		const load = modelLoader(MODELS.progan, { root: '/w/', fetch: fakeFetch(false) });
		const progress: number[] = [];
		const ctx = { ...loadCtx(), progress: (f: number) => progress.push(f) };
		const m = await load(ctx);
		expect(m.info.latent).toBe(512);
		expect(m.info.widths).toHaveLength(5);
		expect(progress.at(-1)).toBe(1);
		const n = fetches;
		expect(await load(loadCtx())).toBe(m);
		expect(fetches).toBe(n);
		tf.dispose(Object.values(m.weights));
		const bad = modelLoader(MODELS.progan, { root: '/w/', fetch: fakeFetch(true) });
		await expect(bad(loadCtx())).rejects.toThrow(/ProGAN face generator could not be loaded.*progan weights: shard .* sha256/);
		const missing = modelLoader(MODELS.progan, { root: '/nowhere/', fetch: (async () => new Response('', { status: 404 })) as typeof fetch });
		await expect(missing(loadCtx())).rejects.toThrow(/ProGAN.*HTTP 404/);
	});
});

describe('model card', () => {
	const cpuCard = {
		title: 'ProGAN face generator (64x64)',
		quality_note: 'Trained on CPU (AMD EPYC, 1 thread(s)) for 27.0 minutes: a low-quality stand-in until GPU training',
		data: 'UTKFace — non-commercial research licence',
		license: 'non-commercial research use only',
		training: { device: 'cpu', hardware: 'AMD EPYC', threads: 1, wall_minutes: 27, images_seen: 45600, finished: true },
		fid_proxy: null
	};
	it('reads the facts and flags a CPU-trained stand-in', () => {
		const c = parseCard(cpuCard);
		expect(c).toMatchObject({ device: 'cpu', hardware: 'AMD EPYC', minutes: 27, imagesSeen: 45600, fidProxy: null, standIn: true });
	});
	it('a GPU-trained card without a stand-in note is not flagged; an unknown device is', () => {
		const gpu = parseCard({ ...cpuCard, quality_note: 'Trained on NVIDIA H100 for 20 minutes.', training: { ...cpuCard.training, device: 'cuda' }, fid_proxy: 41.5 });
		expect(gpu.standIn).toBe(false);
		expect(gpu.fidProxy).toBe(41.5);
		expect(parseCard({}).standIn).toBe(true);
		expect(() => parseCard([1])).toThrow(/not an object/);
	});
});

describe('heatmap student card', () => {
	it('reads the NME against the teacher and the Gaussian width the student was trained on', () => {
		const card = parseStudentCard(JSON.parse(readFileSync('static/weights/heatmaps/card.json', 'utf8')));
		expect(card.nme).toBeGreaterThan(0);
		expect(card.sigmaPx).toBe(3);
		expect(parseStudentCard({ architecture: {} }).sigmaPx).toBeUndefined();
	});
});
