// Weight loading for every srlab model (static/weights/<model>/model.json + .bin shards).
// model.json is tfjs's weights-manifest format (float16 quantised, decoded by
// tf.io.decodeWeights) plus our own keys: "integrity" {path: {bytes, sha256}} checked before
// decoding, so a truncated or swapped shard fails loudly instead of producing a garbage model,
// and "modelConfig". Which name reads which bytes is bound by the manifest hash
// (manifestHash.ts): a card's weights_manifest_sha256, checked here before any shard is read
// when the caller passes it. Browser side: fetch with byte progress. Node side: weights-node.ts.

import * as tf from '@tensorflow/tfjs';
import { sha256Hex } from './sha256';
import { manifestSha256 } from './manifestHash';

export type NamedWeights = Record<string, tf.Tensor>;

export interface ShardIntegrity {
	bytes: number;
	sha256: string;
}

export interface ModelJson {
	format: string;
	name?: string;
	modelConfig?: Record<string, unknown>;
	weightsManifest: tf.io.WeightsManifestConfig;
	integrity: Record<string, ShardIntegrity>;
}

export interface LoadProgress {
	loaded: number;
	total: number;
}

/** Where model.json and its shards come from (fetch in the browser, the filesystem in Node). */
export interface WeightsSource {
	/** Model name used in error messages (e.g. "progan"). */
	name: string;
	readModelJson(): Promise<unknown>;
	/** Read one shard; call onBytes(n) as n more bytes arrive. */
	readShard(path: string, onBytes: (n: number) => void, signal?: AbortSignal): Promise<ArrayBuffer>;
}

export interface LoadOptions {
	onProgress?: (p: LoadProgress) => void;
	signal?: AbortSignal;
	/**
	 * The manifest hash the weights must have (their card's weights_manifest_sha256), or a
	 * promise of it (a card still being fetched: it is awaited once model.json is read, before
	 * any shard is); undefined: not checked. A mismatch is a WeightsError and nothing is decoded.
	 */
	manifestSha256?: string | PromiseLike<string | undefined>;
}

export class WeightsError extends Error {
	constructor(model: string, message: string) {
		super(`${model} weights: ${message}`);
		this.name = 'WeightsError';
	}
}

/** Structural check of model.json; throws WeightsError naming the model. */
export function parseModelJson(raw: unknown, name: string): ModelJson {
	const m = raw as Partial<ModelJson> | null;
	if (!m || typeof m !== 'object') throw new WeightsError(name, 'model.json is not an object');
	if (m.format !== 'srlab-weights') throw new WeightsError(name, `unexpected format ${JSON.stringify(m.format)}`);
	if (!Array.isArray(m.weightsManifest) || m.weightsManifest.length === 0)
		throw new WeightsError(name, 'model.json has no weightsManifest');
	if (!m.integrity || typeof m.integrity !== 'object') throw new WeightsError(name, 'model.json has no integrity record');
	for (const group of m.weightsManifest)
		for (const p of group.paths) {
			const rec = m.integrity[p];
			if (!rec || typeof rec.bytes !== 'number' || typeof rec.sha256 !== 'string')
				throw new WeightsError(name, `no integrity record for shard ${p}`);
		}
	return m as ModelJson;
}

async function verifyShard(name: string, path: string, buf: ArrayBuffer, rec: ShardIntegrity) {
	if (buf.byteLength !== rec.bytes)
		throw new WeightsError(name, `shard ${path} has ${buf.byteLength} bytes, expected ${rec.bytes} (truncated or replaced download?)`);
	const hash = await sha256Hex(buf);
	if (hash !== rec.sha256.toLowerCase())
		throw new WeightsError(name, `shard ${path} failed its sha256 check (expected ${rec.sha256}, got ${hash})`);
}

/** The message of a manifest that is not the one its card vouches for. */
export const MANIFEST_MISMATCH = 'its weight manifest does not match its card: tensors renamed, reordered or swapped?';

/** Hash model.json's manifest and compare it with the expected one (if any); throws WeightsError. */
async function checkManifest(name: string, modelJson: ModelJson, expected: LoadOptions['manifestSha256']): Promise<string> {
	let hash: string;
	try {
		hash = await manifestSha256(modelJson);
	} catch (e) {
		throw new WeightsError(name, (e as Error).message);
	}
	const want: unknown = await expected;
	if (want === undefined) return hash;
	if (typeof want !== 'string' || !/^[0-9a-fA-F]{64}$/.test(want))
		throw new WeightsError(name, `its card's weights_manifest_sha256 is not a sha256 (${JSON.stringify(want)})`);
	if (want.toLowerCase() !== hash) throw new WeightsError(name, `${MANIFEST_MISMATCH} (model.json's manifest hashes to ${hash}, the card says ${want})`);
	return hash;
}

/**
 * Read, verify and decode all shards; returns the tensors, the parsed model.json and its
 * manifest hash (checked against opts.manifestSha256 before any shard is read).
 */
export async function loadWeightsFrom(
	src: WeightsSource,
	opts: LoadOptions = {}
): Promise<{ weights: NamedWeights; modelJson: ModelJson; manifestSha256: string }> {
	const modelJson = parseModelJson(await src.readModelJson(), src.name);
	const manifestHash = await checkManifest(src.name, modelJson, opts.manifestSha256);
	const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
	const total = paths.reduce((s, p) => s + modelJson.integrity[p].bytes, 0);
	let loaded = 0;
	opts.onProgress?.({ loaded, total });
	const weights: NamedWeights = {};
	try {
		for (const group of modelJson.weightsManifest) {
			const buffers: ArrayBuffer[] = [];
			for (const p of group.paths) {
				if (opts.signal?.aborted) throw new DOMException('weight loading aborted', 'AbortError');
				const buf = await src.readShard(p, (n) => opts.onProgress?.({ loaded: (loaded += n), total }), opts.signal);
				await verifyShard(src.name, p, buf, modelJson.integrity[p]);
				buffers.push(buf);
			}
			try {
				Object.assign(weights, tf.io.decodeWeights(buffers, group.weights));
			} catch (e) {
				throw new WeightsError(src.name, `could not decode shards: ${(e as Error).message}`);
			}
		}
	} catch (e) {
		disposeWeights(weights); // the groups decoded before a later one failed
		throw e;
	}
	return { weights, modelJson, manifestSha256: manifestHash };
}

function siblingUrl(modelUrl: string, path: string): string {
	return modelUrl.slice(0, modelUrl.lastIndexOf('/') + 1) + path;
}

/** Browser source: model.json at `url`, shards next to it; streams bodies for progress. */
export function fetchSource(url: string, name?: string, fetchFn?: typeof fetch): WeightsSource {
	const doFetch = fetchFn ?? ((u: string, init?: RequestInit) => globalThis.fetch(u, init));
	const model = name ?? url.split('/').slice(-2, -1)[0] ?? url;
	const get = async (u: string, signal?: AbortSignal) => {
		let res: Response;
		try {
			res = await doFetch(u, { signal });
		} catch (e) {
			if ((e as Error).name === 'AbortError') throw e;
			throw new WeightsError(model, `could not fetch ${u}: ${(e as Error).message}`);
		}
		if (!res.ok) throw new WeightsError(model, `fetching ${u} failed: HTTP ${res.status}`);
		return res;
	};
	return {
		name: model,
		readModelJson: async () => (await get(url)).json(),
		async readShard(path, onBytes, signal) {
			const res = await get(siblingUrl(url, path), signal);
			if (!res.body) {
				const buf = await res.arrayBuffer();
				onBytes(buf.byteLength);
				return buf;
			}
			const reader = res.body.getReader();
			const chunks: Uint8Array[] = [];
			let size = 0;
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				chunks.push(value);
				size += value.byteLength;
				onBytes(value.byteLength);
			}
			const out = new Uint8Array(size);
			let off = 0;
			for (const c of chunks) {
				out.set(c, off);
				off += c.byteLength;
			}
			return out.buffer;
		}
	};
}

/** Load a model's weights from a URL of its model.json (e.g. '/weights/progan/model.json'). */
export async function loadWeights(
	url: string,
	opts: LoadOptions & { name?: string; fetch?: typeof fetch } = {}
): Promise<NamedWeights> {
	return (await loadWeightsFrom(fetchSource(url, opts.name, opts.fetch), opts)).weights;
}

/** Dispose every tensor of a weight set (when a notebook unloads a model). */
export function disposeWeights(w: NamedWeights): void {
	for (const t of Object.values(w)) t.dispose();
}
