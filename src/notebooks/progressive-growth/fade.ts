// The "fade-in" cell (Karras et al. 2018 §2, Fig. 2; SR-NAM §3.3, Fig. 2b): while level L is
// being added, the generator's output is
//     out = (1 − α) · up2(toRGB_{L/2}(h_{L/2})) + α · toRGB_L(block_L(h_{L/2}))
// Both terms are heads the growth cell already computed for this z (toRGB_{L/2}(h_{L/2}) is
// the L/2 output at α = 1, toRGB_L(h_L) the L output), so moving α is a blend of two small
// arrays here — no GPU work, which is what lets the slider follow the pointer. The unit test
// checks the blend against the generator's own fade path (progan.ts generate(level, alpha)).
// View: Fade.svelte (with FadeDiagram.svelte).

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { toDisplay } from '$lib/image/signed';
import { PROGAN_LEVELS, type ProganLevel } from '$models/progan';
import { blend, upsample2 } from './blend';
import { proganGrowth, type GrowthResult } from './growth';

/** The level being faded in, by the boundary parameter's value. */
export const FADE_LEVEL = { '8': 8, '16': 16, '32': 32, '64': 64 } as const satisfies Record<string, ProganLevel>;

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

function mean(img: RGBImage): number {
	let s = 0;
	for (let i = 0; i < img.data.length; i++) s += img.data[i];
	return s / img.data.length;
}

// The two terms only change with the growth output and the boundary; α changes reuse them.
let lastTerms: { growth: GrowthResult; boundary: number; lowRaw: Float32Array; low: RGBImage; high: RGBImage } | undefined;

export const proganFade = defineCell({
	kind: 'progan-fade',
	summary: 'The fade-in at one level boundary: (1−α)·up(old head) + α·new head, α on a slider.',
	params: {
		boundary: {
			type: 'select',
			label: 'New level L',
			options: [
				{ value: '8', label: '4 → 8 px' },
				{ value: '16', label: '8 → 16 px' },
				{ value: '32', label: '16 → 32 px' },
				{ value: '64', label: '32 → 64 px' }
			],
			default: '16',
			help: 'The level being faded in: its block and toRGB head are new, everything below is already trained.'
		},
		alpha: { type: 'number', label: 'α (fade-in)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: only the upsampled old head; α = 1: only the new head.' }
	},
	inputs: { growth: proganGrowth },
	compute(ctx): FadeResult {
		const { growth } = ctx.inputs;
		const { alpha } = ctx.params;
		const boundary = FADE_LEVEL[ctx.params.boundary];
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
});
