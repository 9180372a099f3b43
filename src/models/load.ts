// The one model loader: static/weights/<name>/model.json + shards (size and sha256 checked by
// weights.ts) and card.json, with byte progress and abort. A loaded model is kept per tfjs
// backend instance, so re-runs (backend recovery, coming back to a notebook) do not download
// it again, and a re-initialised WebGPU device (a new backend instance, old tensors gone)
// loads afresh. A load that finished is kept even if its run was aborted meanwhile.
// Which models exist, with their card readers and shape checks: catalog.ts.

import * as tf from '@tensorflow/tfjs';
import { AbortedError } from '$lib/runtime/gpuQueue';
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
	cardProblem?: string;
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

export interface LoaderOptions {
	/** Where the model folders are ('/weights/' in the app; tests serve files). */
	root?: string;
	fetch?: typeof fetch;
}

export type ModelLoader<C, I> = (ctx: LoadContext) => Promise<LoadedModel<C, I>>;

const isAbort = (e: unknown) => (e as Error)?.name === 'AbortError' || e instanceof AbortedError;

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
	const dir = `${opts.root ?? '/weights/'}${src.name}/`;
	const doFetch = opts.fetch ?? ((u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init));
	const cache = new WeakMap<object, LoadedModel<C, I>>();
	return async (ctx) => {
		const backend = tf.backend();
		const hit = cache.get(backend);
		if (hit) return hit;
		let loaded: LoadedModel<C, I>;
		try {
			const [card, { weights, modelJson }] = await Promise.all([
				readCard(dir + 'card.json', src.parseCard, doFetch, ctx.signal),
				loadWeightsFrom(fetchSource(dir + 'model.json', src.name, doFetch), {
					signal: ctx.signal,
					onProgress: ({ loaded: l, total }) => ctx.progress?.(total ? l / total : 0)
				})
			]);
			let info: I;
			try {
				info = src.inspect(weights);
			} catch (e) {
				tf.dispose(Object.values(weights));
				throw e;
			}
			const bytes = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
			loaded = { name: src.name, weights, ...card, info, bytes, backend: tf.getBackend() };
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
