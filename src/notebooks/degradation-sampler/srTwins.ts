// The Low-to-High twins cell of the Degradation Sampler (paper 001 §3.4): static/weights/low2high
// (trained on the degrader's LR) and static/weights/low2high-bicubic (trained on bicubic LR),
// with their cards, through the one model loader. View: SrTwins.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { loadModel, type Model } from '$models/catalog';

export type SrNetId = 'low2high' | 'low2high-bicubic';

export interface SrNet extends Model<SrNetId> {
	id: SrNetId;
	/** What its LR training inputs were. */
	trainedOn: string;
	/** What the SR panel calls its output. */
	label: string;
}

export interface SrModels {
	nets: SrNet[];
	backend: string;
}

export const SR_NETS: { id: SrNetId; trainedOn: string; label: string }[] = [
	{ id: 'low2high', trainedOn: 'LR made by the learned degrader (High-to-Low)', label: 'Low-to-High (degrader-trained)' },
	{ id: 'low2high-bicubic', trainedOn: 'bicubic-downsampled LR (the baseline twin)', label: 'Low-to-High (bicubic-trained twin)' }
];

export const srTwins = defineCell({
	kind: 'sr-models',
	summary: 'Loads the Low-to-High SR twins (trained on learned or on bicubic LR) and their cards.',
	/** Both twins; progress is the mean of their byte fractions. */
	async compute(ctx): Promise<SrModels> {
		const done = SR_NETS.map(() => 0);
		const nets = await Promise.all(
			SR_NETS.map(async (spec, i) => {
				const progress = (f: number) => {
					done[i] = f;
					ctx.progress(done.reduce((a, b) => a + b, 0) / done.length);
				};
				return { ...(await loadModel(spec.id, { signal: ctx.signal, progress })), ...spec };
			})
		);
		return { nets, backend: nets[0].backend };
	}
});
