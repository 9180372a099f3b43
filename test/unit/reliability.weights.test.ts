// Issue 8, weights: every model the browser loads is checked (size + sha256) before use, and a
// failure names the model. srlab's own weights go through loadWeightsFrom (weights.ts; unit
// tests in progan.weights.test.ts, e2e in reliabilityRuntime.test.js); face-api's detector and
// landmark net go through loadFaceApiWeights (vendorWeights.ts), tested here. A scan of src/
// keeps any new load path from bypassing the checks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_API_MODELS, loadFaceApiWeights, type FaceApiModel } from '$models/vendorWeights';
import { MODELS } from '$models/catalog';
import { modelLoader, type ModelSource } from '$models/load';
import { manifestSha256, manifestText } from '$models/manifestHash';
import { fetchSource, loadWeightsFrom } from '$models/weights';
import { loadWeightsFromDir } from '$models/weights-node';
import { workerNetsLoader, type WorkerNets } from '$lib/srnam/workerProtocol';
import { folderFetch } from './shippedModels';

const MODEL_DIR = 'node_modules/@vladmandic/face-api/model';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** A fetch serving face-api's model folder, with `tamper` rewriting a file (null → 404). */
function fakeFetch(tamper: (name: string, b: Buffer) => Buffer | null = (_n, b) => b): typeof fetch {
	return (async (u: RequestInfo | URL) => {
		const name = String(u).split('/').pop()!;
		let body: Buffer | null;
		try {
			body = tamper(name, readFileSync(join(MODEL_DIR, name)));
		} catch {
			body = null;
		}
		return body ? new Response(new Uint8Array(body)) : new Response('not found', { status: 404 });
	}) as typeof fetch;
}

describe('face-api weights are verified before use', () => {
	it('the pinned sizes and hashes match the installed package', () => {
		for (const [model, spec] of Object.entries(FACE_API_MODELS)) {
			const manifest = readFileSync(join(MODEL_DIR, `${model}-weights_manifest.json`));
			expect({ bytes: manifest.length, sha256: sha(manifest) }).toEqual(spec.manifest);
			for (const [file, rec] of Object.entries(spec.shards)) {
				const b = readFileSync(join(MODEL_DIR, file));
				expect({ bytes: b.length, sha256: sha(b) }).toEqual(rec);
			}
		}
	});

	it.each(Object.keys(FACE_API_MODELS) as FaceApiModel[])('%s loads with every tensor of its manifest', async (model) => {
		const w = await loadFaceApiWeights(model, '/vendor/face-api', fakeFetch());
		const manifest = JSON.parse(readFileSync(join(MODEL_DIR, `${model}-weights_manifest.json`), 'utf8'));
		expect(Object.keys(w).sort()).toEqual(manifest[0].weights.map((x: { name: string }) => x.name).sort());
		tf.dispose(Object.values(w));
	});

	it('missing, truncated, altered shard or altered manifest: an error naming the model', async () => {
		const load = (t: (name: string, b: Buffer) => Buffer | null) => loadFaceApiWeights('tiny_face_detector_model', '/v', fakeFetch(t));
		const bin = (f: (b: Buffer) => Buffer | null) => (name: string, b: Buffer) => (name.endsWith('.bin') ? f(b) : b);
		await expect(load(bin(() => null))).rejects.toThrow(/^face detector weights: fetching .*tiny_face_detector_model\.bin failed: HTTP 404/);
		await expect(load(bin((b) => b.subarray(0, 1000)))).rejects.toThrow(/^face detector weights: shard tiny_face_detector_model\.bin has 1000 bytes, expected 193321/);
		await expect(load(bin((b) => Buffer.from(b).fill(7, 500, 504)))).rejects.toThrow(/^face detector weights: shard .* failed its sha256 check/);
		const manifest = (f: (b: Buffer) => Buffer) => (name: string, b: Buffer) => (name.endsWith('.json') ? f(b) : b);
		await expect(load(manifest((b) => Buffer.from(b.toString().replace('"scale":0.0', '"scale":0.9'))))).rejects.toThrow(/^face detector weights: .*manifest\.json failed its size or sha256 check/);
		await expect(loadFaceApiWeights('face_landmark_68_model', '/v', fakeFetch(() => null))).rejects.toThrow(/^face landmark net weights: .*HTTP 404/);
	});
});

describe('every browser load path is a checked one', () => {
	const files: string[] = [];
	const walk = (d: string) => {
		for (const f of readdirSync(d)) {
			const p = join(d, f);
			if (statSync(p).isDirectory()) walk(p);
			else if (/\.(ts|svelte)$/.test(f)) files.push(p);
		}
	};
	walk('src');

	it('no unchecked loader is called anywhere in src/', () => {
		// tfjs and face-api loaders that would fetch weights without our size/sha256 check
		// (loadFromDisk is Node-only: the eval scripts read node_modules, not the network)
		const unchecked = /\b(loadFromUri|loadLayersModel|loadGraphModel|browserHTTPRequest|io\.http|io\.loadWeights|decodeWeights)\s*\(/;
		const offenders = files.filter((f) => !f.endsWith(join('models', 'weights.ts')) && unchecked.test(readFileSync(f, 'utf8')));
		expect(offenders).toEqual([]);
	});

	it('every file that names a weights folder loads it through loadWeightsFrom or loadFaceApiWeights', () => {
		const named = files.filter((f) => /['"`]\/(weights|vendor\/face-api)\b/.test(readFileSync(f, 'utf8')));
		expect(named.length).toBeGreaterThanOrEqual(4);
		for (const f of named) {
			const text = readFileSync(f, 'utf8');
			// card.json / filmstrip files are data, not weights: only .bin shards must be checked
			if (!/model\.json|vendor\/face-api/.test(text)) continue;
			expect(/loadWeightsFrom\(|loadFaceApiWeights\(/.test(text), `${f} loads weights without the checks`).toBe(true);
		}
	});
});

// Issue 19 #2: model.json's integrity record covers the shards' bytes, not which tensor name
// reads which bytes. A card's weights_manifest_sha256 (train/common/export.py writes it; the
// canonical text is src/models/manifestHash.ts) binds names, order and shards to the card, and
// every load path checks it: the app's loader (load.ts), the search worker's (workerProtocol.ts).
describe('the weight manifest is bound to its card', () => {
	/** The search worker's load path (searchWorker.ts serves workerNetsLoader()), with a fetch. */
	const workerLoad = (f: typeof fetch, nets: WorkerNets) => workerNetsLoader(f)(nets);

	const WEIGHTS = 'static/weights';
	const readJson = (model: string, file: string) => JSON.parse(readFileSync(join(WEIGHTS, model, file), 'utf8'));
	const cardHash = (model: string): string => readJson(model, 'card.json').weights_manifest_sha256;
	type ModelJsonLike = { weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[]; integrity: Record<string, { bytes: number; sha256: string }> };
	type Tampered = { mj: ModelJsonLike; shard?: Buffer; card?: Record<string, unknown> };

	/** fetch over static/weights as /weights/, with `model`'s model.json, shard or card replaced. */
	function tamperedFetch(model: string, t: Tampered): typeof fetch {
		const files = folderFetch(resolve(WEIGHTS));
		return (async (u: RequestInfo | URL, init?: RequestInit) => {
			const url = String(u);
			const dir = `/weights/${model}/`;
			if (url === dir + 'model.json') return new Response(JSON.stringify(t.mj));
			if (url === dir + 'card.json' && t.card) return new Response(JSON.stringify(t.card));
			if (t.shard && url === dir + t.mj.weightsManifest[0].paths[0]) return new Response(new Uint8Array(t.shard));
			return files(u, init);
		}) as typeof fetch;
	}

	const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
	const sameShapePair = (ws: { shape: number[] }[]) => {
		for (let i = 0; i < ws.length; i++)
			for (let j = i + 1; j < ws.length; j++) if (ws[i].shape.join() === ws[j].shape.join() && size(ws[i].shape) > 1) return [i, j];
		throw new Error('no two tensors of one shape');
	};
	const offsetOf = (ws: { shape: number[] }[], k: number) => ws.slice(0, k).reduce((s, w) => s + 2 * size(w.shape), 0); // float16

	/** The three ways to make a model draw other faces without failing a shard check. */
	const tampers: Record<string, (model: string) => Tampered> = {
		'two same-shape tensors swap names': (model) => {
			const mj = readJson(model, 'model.json') as ModelJsonLike;
			const ws = mj.weightsManifest[0].weights;
			const [i, j] = sameShapePair(ws);
			[ws[i].name, ws[j].name] = [ws[j].name, ws[i].name];
			return { mj };
		},
		'two neighbouring tensors of different sizes trade places (the others keep their offsets)': (model) => {
			const mj = readJson(model, 'model.json') as ModelJsonLike;
			const ws = mj.weightsManifest[0].weights;
			const k = ws.findIndex((w, n) => n + 1 < ws.length && size(w.shape) !== size(ws[n + 1].shape));
			[ws[k], ws[k + 1]] = [ws[k + 1], ws[k]];
			return { mj };
		},
		"two same-shape tensors swap bytes, the shard's integrity record rewritten to match": (model) => {
			const mj = readJson(model, 'model.json') as ModelJsonLike;
			const path = mj.weightsManifest[0].paths[0];
			const shard = Buffer.from(readFileSync(join(WEIGHTS, model, path)));
			const ws = mj.weightsManifest[0].weights;
			const [i, j] = sameShapePair(ws);
			const [a, b, n] = [offsetOf(ws, i), offsetOf(ws, j), 2 * size(ws[i].shape)];
			const ta = Buffer.from(shard.subarray(a, a + n));
			shard.copy(shard, a, b, b + n);
			ta.copy(shard, b);
			mj.integrity[path] = { bytes: shard.length, sha256: sha(shard) };
			return { mj, shard };
		}
	};

	const original: Record<string, Record<string, tf.Tensor>> = {};
	beforeAll(async () => {
		for (const m of ['progan', 'degrader']) original[m] = (await loadWeightsFromDir(join(WEIGHTS, m))).weights;
	});
	afterAll(() => Object.values(original).forEach((w) => tf.dispose(Object.values(w))));

	const appLoad = (model: 'progan' | 'degrader', f: typeof fetch) => modelLoader(MODELS[model] as ModelSource<unknown, unknown>, { root: '/weights/', fetch: f })({ signal: new AbortController().signal });
	const nets = { generator: '/weights/progan/model.json', degrader: '/weights/degrader/model.json' };
	const refused = (label: string, model: string) =>
		new RegExp(`^${label} could not be loaded from /weights/${model}/: ${model} weights: its weight manifest does not match its card: tensors renamed, reordered or swapped\\?`);

	describe.each(['progan', 'degrader'] as const)('%s', (model) => {
		it.each(Object.keys(tampers))('%s: passes the shard checks, decodes to other tensors, and is refused by the app and the worker', async (how) => {
			const t = tampers[how](model);
			const f = tamperedFetch(model, t);
			// what today's checks see: intact shards, every tensor of the right shape, different numbers
			const { weights } = await loadWeightsFrom(fetchSource(`/weights/${model}/model.json`, model, f));
			const differs = Object.keys(original[model]).filter((k) => tf.any(tf.notEqual(weights[k], original[model][k])).dataSync()[0]);
			expect(differs.length).toBeGreaterThanOrEqual(2);
			tf.dispose(Object.values(weights));
			const before = tf.memory().numTensors;
			await expect(appLoad(model, f)).rejects.toThrow(refused(MODELS[model].label, model));
			await expect(workerLoad(f, { ...nets, generatorManifest: cardHash('progan'), degraderManifest: cardHash('degrader') })).rejects.toThrow(
				new RegExp(`^${model} weights: its weight manifest does not match its card: tensors renamed, reordered or swapped\\?`)
			);
			expect(tf.memory().numTensors).toBe(before);
		});
	});

	it('the untampered models load through the app and the worker, each manifest hashing to its card', async () => {
		for (const m of readdirSync(WEIGHTS)) expect(await manifestSha256(readJson(m, 'model.json')), m).toBe(cardHash(m));
		const g = await appLoad('progan', folderFetch(resolve(WEIGHTS)));
		expect(g.cardProblem).toBeUndefined();
		expect(g.manifestSha256).toBe(cardHash('progan'));
		tf.dispose(Object.values(g.weights));
		const before = tf.memory().numTensors;
		const loaded = await workerLoad(folderFetch(resolve(WEIGHTS)), { ...nets, generatorManifest: cardHash('progan'), degraderManifest: cardHash('degrader') });
		expect(typeof loaded.generator).toBe('function');
		expect(tf.memory().numTensors).toBeGreaterThan(before);
	});

	it('the worker: a refused net frees the other net that call loaded, but not one an earlier search uses', async () => {
		const t = tampers['two same-shape tensors swap names']('degrader');
		const hashes = { generatorManifest: cardHash('progan'), degraderManifest: cardHash('degrader') };
		const before = tf.memory().numTensors;
		await expect(workerLoad(tamperedFetch('degrader', t), { ...nets, ...hashes })).rejects.toThrow(/does not match its card/);
		expect(tf.memory().numTensors).toBe(before); // the good generator, loaded by this call, was freed
		// a worker whose search already holds G: a refused D must leave that G alone
		let goodDegrader = true;
		const files = folderFetch(resolve(WEIGHTS));
		const bad = tamperedFetch('degrader', t);
		// (the second request names D's model.json with a query, so the loader does not reuse its first D)
		const load = workerNetsLoader(((u: RequestInfo | URL, init?: RequestInit) => (goodDegrader ? files : bad)(String(u).replace('?again', ''), init)) as typeof fetch);
		const first = await load({ ...nets, ...hashes });
		const held = tf.memory().numTensors;
		goodDegrader = false;
		await expect(load({ ...nets, degrader: '/weights/degrader/model.json?again', ...hashes })).rejects.toThrow(/does not match its card/);
		expect(tf.memory().numTensors).toBe(held);
		const z = tf.zeros([1, 512]) as tf.Tensor2D;
		const img = first.generator(z); // still usable
		expect(img.shape).toEqual([1, 64, 64, 3]);
		tf.dispose([z, img]);
	});

	it('the canonical text is the one train/common/export.py hashes (same digests as train/tests/test_manifest_hash.py)', async () => {
		const fake = { bytes: 1, sha256: '0'.repeat(64) };
		for (const [model, digest] of [
			['tiny_face_detector_model', '85307a65fd80cfa6f64810f9e42170e1d8d5bbaf90044f7b208620a434b3671d'],
			['face_landmark_68_model', '137713d8388566633e9027c8ecf1538e8fcb24ba497054d7477bcdd69d99b66c']
		]) {
			// uint8 quantisation with scale and min, unlike srlab's float16 exports
			const weightsManifest = JSON.parse(readFileSync(join(MODEL_DIR, `${model}-weights_manifest.json`), 'utf8'));
			expect(await manifestSha256({ weightsManifest, integrity: { [`${model}.bin`]: fake } }), model).toBe(digest);
		}
		const edge = JSON.parse(readFileSync('train/tests/data/manifest_edge_cases.json', 'utf8'));
		expect(manifestText(edge)).toBe(
			'srlab-weights-manifest 1\ngroup\nshard 10 ' + 'ab'.repeat(32) + ' a b.bin\nshard 0 ' + '0'.repeat(64) + ' c,d.bin\n' +
				'weight float32 - - scalar one\nweight int32 0x2 uint8,scale=3ff0000000000000,min=0000000000000000 näme wïth spaces\n' +
				'group\nweight float32 2x3 float16 ok 😀\n'
		);
		expect(await manifestSha256(edge)).toBe(readFileSync('train/tests/data/manifest_edge_cases.sha256', 'utf8').trim());
		for (const bad of [{ name: 'a\nb' }, { name: '' }, { name: '\ud800x' }, { dtype: 'float 32' }, { shape: [1.5] }, { shape: [-1] }, { quantization: { dtype: 'uint8', scale: 'x' } }])
			expect(() => manifestText({ weightsManifest: [{ paths: [], weights: [{ name: 'w', dtype: 'float32', shape: [1], ...bad }] }], integrity: {} } as never)).toThrow(/cannot be hashed/);
	});

	it('a card without the field loads and says so; a card with a wrong or malformed one is refused', async () => {
		const mj = readJson('degrader', 'model.json');
		const card = readJson('degrader', 'card.json');
		delete card.weights_manifest_sha256;
		const m = await appLoad('degrader', tamperedFetch('degrader', { mj, card }));
		expect(m.card).not.toBeNull();
		expect(m.cardProblem).toMatch(/^card\.json has no weights_manifest_sha256/);
		tf.dispose(Object.values(m.weights));
		await expect(appLoad('degrader', tamperedFetch('degrader', { mj, card: { ...card, weights_manifest_sha256: cardHash('progan') } }))).rejects.toThrow(refused('The degrader', 'degrader'));
		await expect(appLoad('degrader', tamperedFetch('degrader', { mj, card: { ...card, weights_manifest_sha256: 42 } }))).rejects.toThrow(/degrader weights: its card's weights_manifest_sha256 is not a sha256/);
	});
});
