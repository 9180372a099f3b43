// Issue 8, weights: every model the browser loads is checked (size + sha256) before use, and a
// failure names the model. srlab's own weights go through loadWeightsFrom (weights.ts; unit
// tests in progan.weights.test.ts, e2e in reliabilityRuntime.test.js); face-api's detector and
// landmark net go through loadFaceApiWeights (vendorWeights.ts), tested here. A scan of src/
// keeps any new load path from bypassing the checks.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FACE_API_MODELS, loadFaceApiWeights, type FaceApiModel } from '$models/vendorWeights';

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
