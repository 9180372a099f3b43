// The "psr-fade" cell (paper 003 §3.1): the fade-in of each step transition,
//     out_N = (1 − α_N) · f(G^{N−1}(I)) + α_N · G^N(I),  f = nearest ×2,  N ∈ {2, 3},
// blended here from the steps cell's raw heads (no GPU work), so the α sliders follow the
// pointer. The unit test checks the blend against superResolve(weights, lr, {step, alpha}).
// View: PsrFade.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { toDisplay } from '$lib/image/signed';
import { PSR_STEP_PX } from '$models/progressiveSr';
import { blend, upsample2 } from './blend';
import { psrSteps, type PsrStepsResult } from './psrSteps';

export interface PsrFadeTransition {
	step: 2 | 3;
	alpha: number;
	/** f(G^{N−1}(I)): the previous step's raw head, nearest ×2, for display */
	low: RGBImage;
	/** G^N(I) */
	high: RGBImage;
	out: RGBImage;
	raw: Float32Array;
}

export interface PsrFadeResult {
	transitions: PsrFadeTransition[];
}

// The upsampled low terms depend only on the steps result; α changes reuse them.
let lastLow: { steps: PsrStepsResult; lows: Float32Array[] } | undefined;

export const psrFade = defineCell({
	kind: 'psr-fade',
	summary: 'The fade-in between two steps of the progressive SR network, α on a slider.',
	params: {
		alpha2: { type: 'number', label: 'α, step 1 → 2 (32 → 64 px)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: step 1 blown up by nearest ×2; α = 1: step 2 alone.' },
		alpha3: { type: 'number', label: 'α, step 2 → 3 (64 → 128 px)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: step 2 blown up by nearest ×2; α = 1: step 3 alone.' }
	},
	inputs: { steps: psrSteps },
	compute(ctx): PsrFadeResult {
		const sr = ctx.inputs.steps;
		const { alpha2, alpha3 } = ctx.params;
		if (!lastLow || lastLow.steps !== sr) lastLow = { steps: sr, lows: [upsample2(sr.steps[0].raw, 32), upsample2(sr.steps[1].raw, 64)] };
		const lows = lastLow.lows;
		const transitions = ([2, 3] as const).map((step) => {
			const alpha = step === 2 ? alpha2 : alpha3;
			const size = PSR_STEP_PX[step - 1];
			const lowRaw = lows[step - 2];
			const raw = blend(lowRaw, sr.steps[step - 1].raw, alpha);
			return { step, alpha, low: toDisplay(lowRaw, size), high: sr.steps[step - 1].image, out: toDisplay(raw, size), raw };
		});
		return { transitions };
	}
});
