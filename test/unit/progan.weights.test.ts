// Weight loader: integrity checks (byte length + sha256 from model.json), progress over the
// byte total, errors that name the model, and the pure-JS sha256 used outside secure contexts.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Fallback, sha256Hex } from '../../src/models/sha256';
import { fetchSource, loadWeights, loadWeightsFrom, parseModelJson, type LoadProgress } from '../../src/models/weights';

const DIR = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const modelText = readFileSync(join(DIR, 'model.json'), 'utf8');

/** A fetch over the weights folder; `tamper` may rewrite a file's bytes. */
function fakeFetch(tamper: (path: string, b: Uint8Array) => Uint8Array = (_, b) => b): typeof fetch {
	return (async (input: RequestInfo | URL) => {
		const url = String(input);
		const name = url.slice(url.lastIndexOf('/') + 1);
		let bytes: Uint8Array;
		try {
			bytes = new Uint8Array(readFileSync(join(DIR, name)));
		} catch {
			return new Response('not found', { status: 404 });
		}
		const body = tamper(name, bytes);
		// chunk the body so progress is reported more than once per shard
		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				for (let i = 0; i < body.length; i += 65536) c.enqueue(body.slice(i, i + 65536));
				c.close();
			}
		});
		return new Response(stream, { status: 200 });
	}) as typeof fetch;
}

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('weights loader', () => {
	it('loads, verifies and decodes float16 shards with byte progress', async () => {
		const seen: LoadProgress[] = [];
		const src = fetchSource('/weights/progan/model.json', undefined, fakeFetch());
		const { weights, modelJson } = await loadWeightsFrom(src, { onProgress: (p) => seen.push(p) });
		const total = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
		expect(seen[0]).toEqual({ loaded: 0, total });
		expect(seen.at(-1)).toEqual({ loaded: total, total });
		expect(seen.length).toBeGreaterThan(2);
		for (const spec of modelJson.weightsManifest[0].weights) {
			expect(weights[spec.name].shape).toEqual(spec.shape);
			expect(weights[spec.name].dtype).toBe('float32');
		}
		tf.dispose(Object.values(weights));
	});

	it('decodes weights that span shard boundaries identically', async () => {
		// Re-cut the export into 3 shards at odd byte offsets (mid-tensor) as a large model would be.
		const m = JSON.parse(modelText);
		const blob = Buffer.concat(m.weightsManifest[0].paths.map((p: string) => readFileSync(join(DIR, p))));
		const cuts = [0, Math.floor(blob.length / 3) | 1, Math.floor((2 * blob.length) / 3) | 1, blob.length];
		const parts = new Map<string, Uint8Array<ArrayBuffer>>();
		m.integrity = {};
		m.weightsManifest[0].paths = cuts.slice(1).map((end, i) => {
			const name = `part${i}.bin`;
			const b = new Uint8Array(blob.subarray(cuts[i], end));
			parts.set(name, b);
			m.integrity[name] = { bytes: b.length, sha256: createHash('sha256').update(b).digest('hex') };
			return name;
		});
		const f = (async (u: RequestInfo | URL) => {
			const name = String(u).split('/').pop()!;
			return new Response(name === 'model.json' ? JSON.stringify(m) : parts.get(name)!);
		}) as typeof fetch;
		const split = await loadWeights('/x/progan/model.json', { fetch: f });
		const whole = await loadWeights('/x/progan/model.json', { fetch: fakeFetch() });
		for (const k of Object.keys(whole)) {
			const a = split[k].dataSync();
			const b = whole[k].dataSync();
			expect(a.length).toBe(b.length);
			expect(a.every((v, i) => v === b[i])).toBe(true);
		}
		tf.dispose([...Object.values(split), ...Object.values(whole)]);
	});

	it('rejects a shard whose sha256 does not match, naming the model', async () => {
		const f = fakeFetch((p, b) => {
			if (!p.endsWith('.bin')) return b;
			const c = b.slice();
			c[100] ^= 1;
			return c;
		});
		await expect(loadWeights('/weights/progan/model.json', { fetch: f })).rejects.toThrow(
			/^progan weights: shard group1-shard1of\d+\.bin failed its sha256 check/
		);
	});

	it('rejects a truncated shard by its byte length', async () => {
		const f = fakeFetch((p, b) => (p.endsWith('.bin') ? b.slice(0, b.length - 2) : b));
		await expect(loadWeightsFrom(fetchSource('/w/progan/model.json', undefined, f))).rejects.toThrow(
			/progan weights: shard .* bytes, expected/
		);
	});

	it('reports HTTP errors and malformed manifests with the model name', async () => {
		const missing = fakeFetch();
		await expect(loadWeightsFrom(fetchSource('/w/progan/nope.json', undefined, missing))).rejects.toThrow(
			/progan weights: fetching .*nope\.json failed: HTTP 404/
		);
		const m = JSON.parse(modelText);
		delete m.integrity;
		expect(() => parseModelJson(m, 'progan')).toThrow(/progan weights: model.json has no integrity record/);
		expect(() => parseModelJson({ format: 'x' }, 'degrader')).toThrow(/^degrader weights: unexpected format/);
	});

	it('sha256: crypto.subtle and the pure-JS fallback agree with node:crypto', async () => {
		for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 123457]) {
			const b = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 255);
			const want = createHash('sha256').update(b).digest('hex');
			expect(sha256Fallback(b)).toBe(want);
			expect(await sha256Hex(b.buffer)).toBe(want);
		}
	});
});
