// The progressive-SR model cell (paper 003): one of the two shipped weight sets —
// static/weights/progressive-sr (trained with the facial attention loss, Eq. 1) or
// static/weights/progressive-sr-noatt (its twin without it) — and its card, through the one
// model loader. The card's test metrics (PSNR / SSIM / MS-SSIM of bicubic and both twins, and
// their paired difference, written by train/progressive_sr/eval.py) are read as they are
// (src/models/cards.ts parsePsrCard); here only how the paired differences are worded.
// View: PsrModel.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { loadModel, type Model } from '$models/catalog';
import type { PsrCard } from '$models/cards';
import type { PsrVariant } from '$models/progressiveSr';

export type PsrModel = Model<PsrVariant>;

export const psrModel = defineCell({
	kind: 'psr-model',
	summary: 'Loads a progressive face-SR twin (with or without the attention loss) and its card.',
	params: {
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
	},
	compute: (ctx): Promise<PsrModel> => loadModel(ctx.params.variant, ctx)
});

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
