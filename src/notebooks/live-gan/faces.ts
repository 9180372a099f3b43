// The training faces of the Live GAN notebook, from one of two sources: `count` faces the
// shipped ProGAN generates from seeded latents, box-downsampled from 64 to 32 px
// (src/lib/gan/faces.ts), or the person's own faces, uploaded in the view and kept in the
// session (src/lib/gan/uploadedFaces.ts; never in a link). No dataset image ships or is shown.
// View: Faces.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { facesFromProgan, type FaceSet } from '$lib/gan/faces';
import { faceSetFromJpegs } from '$lib/gan/uploadedFaces';
import { uploadedFor } from '$lib/gan/uploadStore';
import { proganModel } from '$cells/proganModel';

/** Side of the stored training faces: the largest resolution the GAN can grow to. */
export const FACE_SIZE = 32;

export const ganFaces = defineCell({
	kind: 'gan-faces',
	summary: 'A small training set of faces: sampled from the shipped ProGAN, or your own, at 32 px.',
	params: {
		source: {
			type: 'select',
			label: 'Faces from',
			options: [
				{ value: 'progan', label: 'ProGAN samples' },
				{ value: 'upload', label: 'Your own faces' }
			],
			default: 'progan',
			help: 'Faces the shipped ProGAN generates, or face images of your own (kept in this session, never put in a link).'
		},
		count: { type: 'number', label: 'Faces', min: 8, max: 128, step: 8, default: 64, help: 'How many ProGAN faces the GAN trains on. More faces, more variety; generating them takes a moment.' },
		seed: { type: 'seed', label: 'Face seed', default: 3, help: 'Seed of the ProGAN latents the faces come from.' }
	},
	inputs: { model: proganModel },
	async compute(ctx): Promise<FaceSet> {
		if (ctx.params.source === 'upload') {
			const jpegs = ctx.cellId ? await uploadedFor(ctx.cellId, ctx.signal) : [];
			if (!jpegs.length) throw new Error('No faces of your own yet: choose image files or a folder above (or switch to ProGAN samples).');
			return faceSetFromJpegs(jpegs, FACE_SIZE);
		}
		const { weights, info } = ctx.inputs.model;
		return facesFromProgan(weights, info.latent, Math.round(ctx.params.count), ctx.params.seed, FACE_SIZE, {
			signal: ctx.signal,
			gpu: (t) => ctx.gpu(t),
			progress: (f) => ctx.progress(f)
		});
	}
});
