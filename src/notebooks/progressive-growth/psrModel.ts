// The "progressive-SR model" cell (paper 003): loads one of the two shipped weight sets —
// static/weights/progressive-sr (trained with the facial attention loss, Eq. 1) or
// static/weights/progressive-sr-noatt (its twin without it) — and its card. The card's test
// metrics (PSNR / SSIM / MS-SSIM of bicubic and both twins, written by
// train/eval_progressive_sr.py) are read as they are; nothing here is typed in.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import type { ParamSpec } from '$lib/notebook/types';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { progressiveSrInfo } from '$models/progressiveSr';

export const PSR_VARIANTS = ['progressive-sr', 'progressive-sr-noatt'] as const;
export type PsrVariant = (typeof PSR_VARIANTS)[number];

export const psrModelParams: Record<string, ParamSpec> = {
	variant: {
		type: 'select',
		label: 'Weights',
		options: [
			{ value: 'progressive-sr', label: 'with facial attention loss (Eq. 6, η > 0)' },
			{ value: 'progressive-sr-noatt', label: 'without attention loss (η = 0)' }
		],
		default: 'progressive-sr',
		help: 'The two networks were trained with the same data, schedule and seed; only the attention term differs.'
	}
};

export interface MetricRow {
	method: string;
	metric: 'PSNR (dB)' | 'SSIM' | 'MS-SSIM';
	value: number;
}

export interface PsrCard {
	title: string;
	qualityNote?: string;
	minutes?: number;
	iterations?: number;
	hardware?: string;
	parameters?: number;
	license?: string;
	data?: string;
	featureLoss?: string;
	attentionLoss?: string;
	heatmapLoss?: string;
	testFaces?: number;
	metrics: MetricRow[];
	/** Per-face (with attention) − (without) on the test faces: mean and 95% half-width. */
	paired: { metric: MetricRow['metric']; mean: number; ci95: number }[];
}

export interface PsrModel {
	variant: PsrVariant;
	weights: NamedWeights;
	widths: number[];
	card: PsrCard | null;
	cardProblem?: string;
	bytes: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const METHOD_NAMES: Record<string, string> = {
	'progressive-sr-cpu': 'with attention loss',
	'progressive-sr-noatt-cpu': 'without attention loss'
};

/** "+0.080 ± 0.031 dB" style text of one paired difference; `includesZero` when the interval does. */
export function pairedText(d: PsrCard['paired'][number]): { text: string; includesZero: boolean } {
	const digits = d.metric === 'PSNR (dB)' ? 2 : 4;
	const sign = d.mean > 0 ? '+' : d.mean < 0 ? '−' : '±';
	const unit = d.metric === 'PSNR (dB)' ? ' dB' : '';
	const name = d.metric === 'PSNR (dB)' ? 'PSNR' : d.metric;
	return { text: `${name} ${sign}${Math.abs(d.mean).toFixed(digits)} ± ${d.ci95.toFixed(digits)}${unit}`, includesZero: Math.abs(d.mean) <= d.ci95 };
}

/** Every paired difference as text, with a verdict on which intervals include 0. */
export function pairedSummary(p: PsrCard['paired']): string {
	const parts = p.map(pairedText);
	const unclear = parts.filter((x) => x.includesZero).length;
	const verdict = unclear === parts.length ? 'no difference is larger than its interval' : unclear ? 'intervals that include 0 mean no measurable difference' : 'every difference is larger than its interval';
	return `${parts.map((x) => x.text).join(' · ')} (${verdict}; one seed each)`;
}

/** card.json -> the facts shown; metrics rows for bicubic and every evaluated run. */
export function parsePsrCard(raw: unknown): PsrCard {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('card.json is not an object');
	const c = raw as Obj;
	const t = obj(c.training);
	const losses = obj(c.losses);
	const m = obj(c.metrics);
	const rows: MetricRow[] = [];
	const add = (method: string, s: Obj) => {
		const vals: [MetricRow['metric'], unknown][] = [['PSNR (dB)', s.psnr], ['SSIM', s.ssim], ['MS-SSIM', s.ms_ssim]];
		for (const [metric, v] of vals) if (num(v) !== undefined) rows.push({ method, metric, value: v as number });
	};
	add('bicubic', obj(obj(m.test).bicubic));
	for (const [run, s] of Object.entries(obj(m.all_runs))) add(METHOD_NAMES[run] ?? run, obj(s));
	const pairedRaw = obj(obj(m.test).paired);
	const paired: PsrCard['paired'] = [];
	for (const [key, metric] of [['psnr', 'PSNR (dB)'], ['ssim', 'SSIM'], ['ms_ssim', 'MS-SSIM']] as const) {
		const d = obj(pairedRaw[key]);
		const mean = num(d.mean);
		const ci95 = num(d.ci95);
		if (mean !== undefined && ci95 !== undefined) paired.push({ metric, mean, ci95 });
	}
	return {
		title: str(c.title) ?? 'Progressive face SR',
		qualityNote: str(c.quality_note),
		minutes: num(t.wall_minutes),
		iterations: num(t.iterations),
		hardware: str(t.hardware),
		parameters: num(obj(c.architecture).parameters),
		license: str(c.license),
		data: str(c.data),
		featureLoss: str(losses.feature),
		attentionLoss: str(losses.attention),
		heatmapLoss: str(losses.heatmap),
		testFaces: num(obj(m.test).n_test_faces),
		metrics: rows,
		paired
	};
}

export function readVariant(v: unknown): PsrVariant {
	return (PSR_VARIANTS as readonly string[]).includes(String(v)) ? (v as PsrVariant) : 'progressive-sr';
}

/** A compute function loading the chosen weights from `root` + variant (tests pass their own fetch). */
export function makePsrModelCompute(root = '/weights/', fetchFn?: typeof fetch) {
	const doFetch = fetchFn ?? ((u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init));
	// per tfjs backend instance (a re-initialised device needs fresh tensors), per variant
	const cache = new WeakMap<object, Map<PsrVariant, PsrModel>>();
	return async function computePsrModel(ctx: ComputeContext): Promise<PsrModel> {
		const variant = readVariant(ctx.params.variant);
		const backend = tf.backend();
		const hit = cache.get(backend)?.get(variant);
		if (hit) return hit;
		const dir = `${root}${variant}/`;
		let loaded: PsrModel;
		try {
			const cardP = doFetch(dir + 'card.json', { signal: ctx.signal })
				.then(async (r) => (r.ok ? { card: parsePsrCard(await r.json()) } : { card: null, problem: `card.json: HTTP ${r.status}` }))
				.catch((e: Error) => {
					if (e.name === 'AbortError') throw e;
					return { card: null, problem: `card.json could not be read (${e.message})` };
				});
			const [cardResult, { weights, modelJson }] = await Promise.all([
				cardP,
				loadWeightsFrom(fetchSource(dir + 'model.json', variant, doFetch), {
					signal: ctx.signal,
					onProgress: ({ loaded: l, total }) => ctx.progress(total ? l / total : 0)
				})
			]);
			let widths: number[];
			try {
				widths = progressiveSrInfo(weights).widths;
			} catch (e) {
				tf.dispose(Object.values(weights));
				throw e;
			}
			const bytes = Object.values(modelJson.integrity).reduce((s, r) => s + r.bytes, 0);
			loaded = { variant, weights, widths, card: cardResult.card, cardProblem: 'problem' in cardResult ? cardResult.problem : undefined, bytes };
		} catch (e) {
			if ((e as Error).name === 'AbortError') throw new AbortedError();
			throw new Error(`The progressive SR network could not be loaded from ${dir}: ${(e as Error).message}`);
		}
		const byVariant = cache.get(backend) ?? new Map<PsrVariant, PsrModel>();
		const raced = byVariant.get(variant);
		if (raced) {
			tf.dispose(Object.values(loaded.weights));
			loaded = raced;
		} else byVariant.set(variant, loaded);
		cache.set(backend, byVariant);
		if (ctx.signal.aborted) throw new AbortedError();
		return loaded;
	};
}

export const computePsrModel = makePsrModelCompute();

export function psrModelInput(inputs: Record<string, unknown>): PsrModel {
	const m = inputs.model as PsrModel | undefined;
	if (!m || !m.weights) throw new Error('No progressive SR model: expected inputs.model from the model cell.');
	return m;
}
