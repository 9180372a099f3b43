// The "ProGAN model" cell: loads the generator's weights (static/weights/progan/, written by
// train/export_tfjs.py) and its model card. Loaded weights are kept per tfjs backend instance,
// so re-runs (backend recovery, coming back to the notebook) do not download them again, and a
// re-initialised WebGPU device (a new backend instance, old tensors gone) loads afresh.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { proganInfo } from '$models/progan';

export const PROGAN_DIR = '/weights/progan/';

/** The facts of card.json that the notebook shows, normalised (absent → undefined). */
export interface CardFacts {
	title: string;
	qualityNote?: string;
	device?: string;
	hardware?: string;
	threads?: number;
	minutes?: number;
	imagesSeen?: number;
	steps?: number;
	finished?: boolean;
	config?: string;
	parameters?: number;
	data?: string;
	license?: string;
	fidProxy: number | null;
	fidProxyNote?: string;
	exportedAt?: string;
	/** Not trained on a GPU, or the card itself calls it a stand-in: say so loudly. */
	standIn: boolean;
}

export interface ProganModel {
	weights: NamedWeights;
	/** null when card.json is missing or unreadable (see cardProblem). */
	card: CardFacts | null;
	cardProblem?: string;
	latent: number;
	widths: number[];
	bytes: number;
	backend: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const numb = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** card.json → CardFacts. Throws only when it is not an object at all. */
export function parseCard(raw: unknown): CardFacts {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('card.json is not an object');
	const c = raw as Obj;
	const t = obj(c.training);
	const device = str(t.device);
	const qualityNote = str(c.quality_note);
	// Only a CUDA/GPU device counts as GPU-trained; an unknown device is not assumed to be one.
	const gpuTrained = !!device && /cuda|gpu|mps/i.test(device);
	const saysStandIn = !!qualityNote && /stand-in|low-quality|low quality/i.test(qualityNote);
	const fid = numb(c.fid_proxy);
	return {
		title: str(c.title) ?? 'ProGAN face generator',
		qualityNote,
		device,
		hardware: str(t.hardware),
		threads: numb(t.threads),
		minutes: numb(t.wall_minutes),
		imagesSeen: numb(t.images_seen),
		steps: numb(t.steps),
		finished: typeof t.finished === 'boolean' ? t.finished : undefined,
		config: str(t.config),
		parameters: numb(obj(c.architecture).parameters),
		data: str(c.data),
		license: str(c.license),
		fidProxy: fid ?? null,
		fidProxyNote: str(c.fid_proxy_note),
		exportedAt: str(c.exported_at),
		standIn: !gpuTrained || saysStandIn
	};
}

async function fetchCard(url: string, doFetch: typeof fetch, signal: AbortSignal): Promise<{ card: CardFacts | null; problem?: string }> {
	try {
		const res = await doFetch(url, { signal });
		if (!res.ok) return { card: null, problem: `card.json could not be fetched (HTTP ${res.status})` };
		return { card: parseCard(await res.json()) };
	} catch (e) {
		if ((e as Error).name === 'AbortError') throw e;
		return { card: null, problem: `card.json could not be read (${(e as Error).message})` };
	}
}

/** A compute function loading the model from `dir` (tests pass their own fetch). */
export function makeProganModelCompute(dir = PROGAN_DIR, fetchFn?: typeof fetch) {
	const doFetch = fetchFn ?? ((u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init));
	const cache = new WeakMap<object, ProganModel>();
	return async function computeProganModel(ctx: ComputeContext): Promise<ProganModel> {
		const backend = tf.backend();
		const hit = cache.get(backend);
		if (hit) return hit;
		let loaded: ProganModel;
		try {
			const [cardResult, { weights, modelJson }] = await Promise.all([
				fetchCard(dir + 'card.json', doFetch, ctx.signal),
				loadWeightsFrom(fetchSource(dir + 'model.json', 'progan', doFetch), {
					signal: ctx.signal,
					onProgress: ({ loaded, total }) => ctx.progress(total ? loaded / total : 0)
				})
			]);
			let info;
			try {
				info = proganInfo(weights);
			} catch (e) {
				tf.dispose(Object.values(weights));
				throw e;
			}
			const bytes = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
			loaded = { weights, card: cardResult.card, cardProblem: cardResult.problem, ...info, bytes, backend: tf.getBackend() };
		} catch (e) {
			if ((e as Error).name === 'AbortError') throw new AbortedError();
			throw new Error(`The ProGAN face generator could not be loaded from ${dir}: ${(e as Error).message}`);
		}
		// A load that finished is kept even if this run was aborted meanwhile: the next run uses it.
		const raced = cache.get(backend);
		if (raced) {
			tf.dispose(Object.values(loaded.weights));
			loaded = raced;
		} else cache.set(backend, loaded);
		if (ctx.signal.aborted) throw new AbortedError();
		return loaded;
	};
}

export const computeProganModel = makeProganModelCompute();

/** The model from a cell's inputs, with a clear message when it is not there. */
export function modelInput(inputs: Record<string, unknown>): ProganModel {
	const m = inputs.model as ProganModel | undefined;
	if (!m || !m.weights) throw new Error('No ProGAN model: expected inputs.model from the model cell.');
	return m;
}
