// The one model loader: static/weights/<name>/model.json + shards (size and sha256 checked by
// weights.ts) and card.json, with byte progress and abort. The card vouches for the weights by
// its weights_manifest_sha256 (manifestHash.ts): weights whose manifest hashes otherwise
// (tensors renamed, reordered, swapped) are refused before a shard is read; a card without the
// field loads as before, with a cardProblem saying nothing ties it to the weights. A loaded model is kept per tfjs
// backend instance, so re-runs (backend recovery, coming back to a notebook) do not download
// it again, and a re-initialised WebGPU device (a new backend instance, old tensors gone)
// loads afresh. A load that finished is kept even if its run was aborted meanwhile.
// Which models exist, with their card readers and shape checks: catalog.ts.

import * as tf from '@tensorflow/tfjs';
import { AbortedError, isAbort } from '$lib/runtime/gpuQueue';
import { fetchSource, loadWeightsFrom, type NamedWeights } from './weights';

export interface ModelSource<C, I> {
	/** Folder under the weights root, also the name in error messages ("progan"). */
	name: string;
	/** What a person calls it, for messages ("The ProGAN face generator"). */
	label: string;
	parseCard(raw: unknown): C;
	/** Reads the architecture from the weights; throws when they are not this model's. */
	inspect(weights: NamedWeights): I;
}

export interface LoadedModel<C, I> {
	name: string;
	weights: NamedWeights;
	/** null when card.json is missing or unreadable (see cardProblem). */
	card: C | null;
	/** card.json as read (null without one). */
	rawCard: unknown;
	/** Why card is null, or (card present) that it has no weights_manifest_sha256 (NO_MANIFEST_HASH). */
	cardProblem?: string;
	/** sha256 of the loaded weights' manifest (manifestHash.ts): the card's weights_manifest_sha256 when it has one. */
	manifestSha256: string;
	info: I;
	/** Bytes of weight shards downloaded. */
	bytes: number;
	backend: string;
}

export interface LoadContext {
	signal: AbortSignal;
	/** Fraction 0..1 of the weight bytes received. */
	progress?(fraction: number): void;
}

/** Where the app serves the shipped weights (static/weights/ in the repository). */
export const WEIGHTS_ROOT = '/weights/';

export interface LoaderOptions {
	/** Where the model folders are ('/weights/' in the app; tests serve files). */
	root?: string;
	fetch?: typeof fetch;
}

export type ModelLoader<C, I> = (ctx: LoadContext) => Promise<LoadedModel<C, I>>;

/** cardProblem of a card that does not name its weights' manifest hash. */
export const NO_MANIFEST_HASH =
	'card.json has no weights_manifest_sha256, so nothing ties it to these weights (tensor names and order unchecked)';

/** A card's weights_manifest_sha256: undefined when absent (no card, or an older card). */
export function cardManifestSha256(rawCard: unknown): string | undefined {
	if (!rawCard || typeof rawCard !== 'object' || !('weights_manifest_sha256' in rawCard)) return undefined;
	const v = (rawCard as { weights_manifest_sha256: unknown }).weights_manifest_sha256;
	return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v); // not a sha256: refused by the loader
}

/** A model card on its own: parsed, or null with the reason (a missing card is no error). */
export async function readCard<C>(url: string, parse: (raw: unknown) => C, doFetch: typeof fetch, signal: AbortSignal): Promise<{ card: C | null; rawCard: unknown; cardProblem?: string }> {
	try {
		const res = await doFetch(url, { signal });
		if (!res.ok) return { card: null, rawCard: null, cardProblem: `card.json could not be fetched (HTTP ${res.status})` };
		const rawCard: unknown = await res.json();
		return { card: parse(rawCard), rawCard };
	} catch (e) {
		if (isAbort(e)) throw e;
		return { card: null, rawCard: null, cardProblem: `card.json could not be read (${(e as Error).message})` };
	}
}

export function modelLoader<C, I>(src: ModelSource<C, I>, opts: LoaderOptions = {}): ModelLoader<C, I> {
	const dir = `${opts.root ?? WEIGHTS_ROOT}${src.name}/`;
	const doFetch = opts.fetch ?? ((u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init));
	const cache = new WeakMap<object, LoadedModel<C, I>>();
	return async (ctx) => {
		const backend = tf.backend();
		const hit = cache.get(backend);
		if (hit) return hit;
		let loaded: LoadedModel<C, I>;
		try {
			// card and model.json are fetched at once; the shards wait for the card's manifest hash
			const cardRead = readCard(dir + 'card.json', src.parseCard, doFetch, ctx.signal);
			const expected = cardRead.then((c) => cardManifestSha256(c.rawCard));
			expected.catch(() => {}); // awaited only once model.json is in; an abort before that is Promise.all's
			const [card, { weights, modelJson, manifestSha256 }] = await Promise.all([
				cardRead,
				loadWeightsFrom(fetchSource(dir + 'model.json', src.name, doFetch), {
					signal: ctx.signal,
					onProgress: ({ loaded: l, total }) => ctx.progress?.(total ? l / total : 0),
					manifestSha256: expected
				})
			]);
			if (card.card && cardManifestSha256(card.rawCard) === undefined) card.cardProblem ??= NO_MANIFEST_HASH;
			let info: I;
			try {
				info = src.inspect(weights);
			} catch (e) {
				tf.dispose(Object.values(weights));
				throw e;
			}
			const bytes = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
			loaded = { name: src.name, weights, ...card, manifestSha256, info, bytes, backend: tf.getBackend() };
		} catch (e) {
			if (isAbort(e)) throw new AbortedError();
			throw new Error(`${src.label} could not be loaded from ${dir}: ${(e as Error).message}`);
		}
		const raced = cache.get(backend);
		if (raced) {
			tf.dispose(Object.values(loaded.weights));
			loaded = raced;
		} else cache.set(backend, loaded);
		if (ctx.signal.aborted) throw new AbortedError();
		return loaded;
	};
}
