// The ProGAN model cell (growth, SR-NAM, sampler and attention notebooks): the generator's
// weights (static/weights/progan/, written by train/) and its model card, through the one
// model loader. View: ProganModel.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { loadModel, type Model } from '$models/catalog';

export type ProganModel = Model<'progan'>;

export const proganModel = defineCell({
	kind: 'progan-model',
	summary: 'Loads the ProGAN face generator (z ∈ R^512 → 4…64 px) and its model card.',
	compute: (ctx): Promise<ProganModel> => loadModel('progan', ctx)
});
