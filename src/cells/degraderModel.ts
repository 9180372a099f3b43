// The degrader model cell (SR-NAM and sampler notebooks): the learned High-to-Low degrader
// (paper 001 §3.3, SR-NAM §3.2; static/weights/degrader/) and its card, through the one model
// loader. View: DegraderModel.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { loadModel, type Model } from '$models/catalog';

export type DegraderModel = Model<'degrader'>;

export const degraderModel = defineCell({
	kind: 'degrader-model',
	summary: 'Loads the learned High-to-Low degrader (64×64 face + noise → 16×16) and its model card.',
	compute: (ctx): Promise<DegraderModel> => loadModel('degrader', ctx)
});
