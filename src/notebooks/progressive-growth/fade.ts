// The "fade-in" cell (Karras et al. 2018 §2, Fig. 2; SR-NAM §3.3, Fig. 2b): while level L is
// being added, the generator's output is
//     out = (1 − α) · up2(toRGB_{L/2}(h_{L/2})) + α · toRGB_L(block_L(h_{L/2}))
// Both terms are heads the growth cell already computed for this z (toRGB_{L/2}(h_{L/2}) is
// the L/2 output at α = 1, toRGB_L(h_L) the L output), so moving α is a blend of two small
// arrays here — no GPU work, which is what lets the slider follow the pointer. The unit test
// checks the blend against the generator's own fade path (progan.ts generate(level, alpha)).

import type { ParamSpec, ParamValues } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import type { RGBImage } from '$lib/image/rgb';
import { PROGAN_LEVELS, type ProganLevel } from '$models/progan';
import { toDisplay, type GrowthResult } from './proganGrowth';

export const FADE_BOUNDARIES = [8, 16, 32, 64] as const;

export const fadeParams: Record<string, ParamSpec> = {
	boundary: {
		type: 'select',
		label: 'New level L',
		options: FADE_BOUNDARIES.map((b) => ({ value: String(b), label: `${b / 2} → ${b} px` })),
		default: '16',
		help: 'The level being faded in: its block and toRGB head are new, everything below is already trained.'
	},
	alpha: { type: 'number', label: 'α (fade-in)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: only the upsampled old head; α = 1: only the new head.' }
};

export interface FadeResult {
	boundary: ProganLevel;
	alpha: number;
	/** (1 − α)'s term: up2(toRGB_{L/2}(h_{L/2})), L×L. */
	low: RGBImage;
	/** α's term: toRGB_L(h_L), L×L. */
	high: RGBImage;
	/** The blend, raw ([-1, 1] range) and for display. */
	raw: Float32Array;
	out: RGBImage;
	/** Mean of the displayed output, a cheap fingerprint for tests and the page. */
	mean: number;
}

export function readFadeParams(values: ParamValues): { boundary: ProganLevel; alpha: number } {
	const b = Number(values.boundary);
	const boundary = (FADE_BOUNDARIES as readonly number[]).includes(b) ? (b as ProganLevel) : 16;
	const a = Number(values.alpha);
	return { boundary, alpha: Number.isFinite(a) ? Math.min(1, Math.max(0, a)) : 0.5 };
}

/** Nearest-neighbour ×2 of an HWC RGB array (floor(dst / 2) sampling, as the generator's up2). */
export function upsample2(src: Float32Array, size: number): Float32Array {
	const n = size * 2;
	const out = new Float32Array(n * n * 3);
	for (let y = 0; y < n; y++)
		for (let x = 0; x < n; x++) {
			const s = ((y >> 1) * size + (x >> 1)) * 3;
			const d = (y * n + x) * 3;
			out[d] = src[s];
			out[d + 1] = src[s + 1];
			out[d + 2] = src[s + 2];
		}
	return out;
}

/** out = (1 − α)·low + α·high, elementwise. */
export function blend(low: Float32Array, high: Float32Array, alpha: number): Float32Array {
	const out = new Float32Array(low.length);
	for (let i = 0; i < low.length; i++) out[i] = (1 - alpha) * low[i] + alpha * high[i];
	return out;
}

function mean(img: RGBImage): number {
	let s = 0;
	for (let i = 0; i < img.data.length; i++) s += img.data[i];
	return s / img.data.length;
}

// The two terms only change with the growth output and the boundary; α changes reuse them.
let lastTerms: { growth: GrowthResult; boundary: number; lowRaw: Float32Array; low: RGBImage; high: RGBImage } | undefined;

export function computeFade(ctx: ComputeContext): FadeResult {
	const growth = ctx.inputs.growth as GrowthResult | undefined;
	if (!growth?.levels?.length) throw new Error('No growth strip: expected inputs.growth.');
	const { boundary, alpha } = readFadeParams(ctx.params);
	const i = PROGAN_LEVELS.indexOf(boundary);
	const prev = growth.levels[i - 1];
	const cur = growth.levels[i];
	if (!prev || !cur || cur.size !== boundary) throw new Error(`The growth strip has no ${boundary} px level.`);
	if (!lastTerms || lastTerms.growth !== growth || lastTerms.boundary !== boundary) {
		const lowRaw = upsample2(prev.raw, prev.size);
		lastTerms = { growth, boundary, lowRaw, low: toDisplay(lowRaw, boundary), high: cur.image };
	}
	const raw = blend(lastTerms.lowRaw, cur.raw, alpha);
	const out = toDisplay(raw, boundary);
	return { boundary, alpha, low: lastTerms.low, high: lastTerms.high, raw, out, mean: mean(out) };
}
