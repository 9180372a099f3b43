// The training faces of the Live GAN notebook: `count` faces the shipped ProGAN generates from
// seeded latents, box-downsampled from 64 to 32 px (src/lib/gan/faces.ts). No dataset image
// ships or is shown: these are the generator's own faces. View: Faces.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { facesFromProgan, type FaceSet } from '$lib/gan/faces';
import { proganModel } from '$cells/proganModel';

/** Side of the stored training faces: the largest resolution the GAN can grow to. */
export const FACE_SIZE = 32;

export const ganFaces = defineCell({
	kind: 'gan-faces',
	summary: 'Samples a small training set of faces from the shipped ProGAN, downsampled to 32 px.',
	params: {
		count: { type: 'number', label: 'Faces', min: 8, max: 128, step: 8, default: 64, help: 'How many faces the GAN trains on. More faces, more variety; generating them takes a moment.' },
		seed: { type: 'seed', label: 'Face seed', default: 3, help: 'Seed of the ProGAN latents the faces come from.' }
	},
	inputs: { model: proganModel },
	async compute(ctx): Promise<FaceSet> {
		const { weights, info } = ctx.inputs.model;
		return facesFromProgan(weights, info.latent, Math.round(ctx.params.count), ctx.params.seed, FACE_SIZE, {
			signal: ctx.signal,
			gpu: (t) => ctx.gpu(t),
			progress: (f) => ctx.progress(f)
		});
	}
});
