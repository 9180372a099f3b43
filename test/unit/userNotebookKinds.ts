// Tiny cell kinds for the user-notebook tests: a face (takes an image), a model, an HR cell
// reading both, and an LR cell whose one input accepts either a face or an HR cell.
import { defineCell } from '$lib/notebook/cellKind';
import type { Kinds, UserNotebook } from '$lib/notebook/userNotebook';

export const face = defineCell({ kind: 'face', summary: 'A face.', imageInput: true, compute: () => 1 });
export const model = defineCell({ kind: 'model', summary: 'A model.', compute: () => 10 });
export const hr = defineCell({
	kind: 'hr',
	summary: 'An HR face.',
	params: { seed: { type: 'seed', label: 'Seed', default: 5 }, gain: { type: 'number', label: 'Gain', min: 0, max: 4, step: 1, default: 1 } },
	inputs: { face, model },
	compute: (ctx) => (ctx.inputs.face + ctx.inputs.model) * ctx.params.gain + ctx.params.seed
});
export const lr = defineCell({ kind: 'lr', summary: 'An LR face.', inputs: { src: [face, hr] }, compute: (ctx) => ctx.inputs.src * 2 });

export const KINDS: Kinds = { face, model, hr, lr };

/** face, model, hr (reads both), lr (reads hr), with prose first. */
export const CHAIN: UserNotebook = {
	title: 'Chain',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: 'Hello $x^2$' },
		{ kind: 'face', id: 'face', title: 'Face', inputs: {} },
		{ kind: 'model', id: 'model', title: 'Model', inputs: {} },
		{ kind: 'hr', id: 'hr', title: 'HR', inputs: { face: 'face', model: 'model' } },
		{ kind: 'lr', id: 'lr', title: 'LR', inputs: { src: 'hr' } }
	]
};
