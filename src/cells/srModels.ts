// The "SR models" cell of the Degradation Sampler: loads both Low-to-High twins (paper 001
// §3.4) — static/weights/low2high (trained on the degrader's LR) and
// static/weights/low2high-bicubic (trained on bicubic LR) — with their cards. Loaded weights
// are kept per tfjs backend instance (a re-initialised WebGPU device loads afresh).

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { low2highInfo } from '$models/low2high';
import { parseCard, type CardFacts } from './proganModel';

export interface SrNet {
	id: 'low2high' | 'low2high-bicubic';
	/** What its LR training inputs were. */
	trainedOn: string;
	weights: NamedWeights;
	card: CardFacts | null;
	cardProblem?: string;
	/** card.json as read (the FID-proxy table reads its `fid_proxy`). */
	rawCard: unknown;
	widths: number[];
	bytes: number;
}

export interface SrModels {
	nets: SrNet[];
	backend: string;
}

export const SR_NETS: { id: SrNet['id']; trainedOn: string }[] = [
	{ id: 'low2high', trainedOn: 'LR made by the learned degrader (High-to-Low)' },
	{ id: 'low2high-bicubic', trainedOn: 'bicubic-downsampled LR (the baseline twin)' }
];

export async function readCard(url: string, doFetch: typeof fetch, signal: AbortSignal): Promise<{ raw: unknown; card: CardFacts | null; problem?: string }> {
	try {
		const res = await doFetch(url, { signal });
		if (!res.ok) return { raw: null, card: null, problem: `card.json: HTTP ${res.status}` };
		const raw: unknown = await res.json();
		return { raw, card: parseCard(raw) };
	} catch (e) {
		if ((e as Error).name === 'AbortError') throw e;
		return { raw: null, card: null, problem: `card.json could not be read (${(e as Error).message})` };
	}
}

async function loadNet(spec: (typeof SR_NETS)[number], ctx: ComputeContext, share: (f: number) => void): Promise<SrNet> {
	const dir = `/weights/${spec.id}/`;
	const doFetch = (u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init);
	const [card, { weights, modelJson }] = await Promise.all([
		readCard(dir + 'card.json', doFetch, ctx.signal),
		loadWeightsFrom(fetchSource(dir + 'model.json', spec.id, doFetch), {
			signal: ctx.signal,
			onProgress: ({ loaded, total }) => share(total ? loaded / total : 0)
		})
	]);
	const bytes = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
	return { ...spec, weights, card: card.card, cardProblem: card.problem, rawCard: card.raw, widths: low2highInfo(weights).widths, bytes };
}

const cache = new WeakMap<object, SrModels>();

export async function computeSrModels(ctx: ComputeContext): Promise<SrModels> {
	const backend = tf.backend();
	const hit = cache.get(backend);
	if (hit) return hit;
	const done = SR_NETS.map(() => 0);
	const share = (i: number) => (f: number) => {
		done[i] = f;
		ctx.progress(done.reduce((a, b) => a + b, 0) / done.length);
	};
	const settled = await Promise.allSettled(SR_NETS.map((s, i) => loadNet(s, ctx, share(i))));
	const nets = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
	const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
	if (failed) {
		for (const n of nets) tf.dispose(Object.values(n.weights));
		if ((failed.reason as Error).name === 'AbortError') throw new AbortedError();
		throw new Error(`The Low-to-High SR nets could not be loaded: ${(failed.reason as Error).message}`);
	}
	const loaded: SrModels = { nets, backend: tf.getBackend() };
	const raced = cache.get(backend);
	if (raced) {
		for (const n of nets) tf.dispose(Object.values(n.weights));
		return raced;
	}
	cache.set(backend, loaded);
	if (ctx.signal.aborted) throw new AbortedError();
	return loaded;
}
