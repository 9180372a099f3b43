// Notebook: classical degradations. Model-free, so it proves the runtime, sessions and links
// on their own. Prose (one .md file per prose cell, named by its id) cites the papers in
// ../shared/papers by section and equation.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { faceInput } from '$cells/faceInput';
import { degradationGallery } from '$cells/degradationGallery';
import { l2Chart } from './l2Chart';
import intro from './intro.md?raw';
import recipes from './recipes.md?raw';
import l2 from './l2.md?raw';

export const classicalDegradations: NotebookDef = {
	id: 'classical-degradations',
	title: 'Classical degradations',
	papers: [
		{ authors: 'Bulat, Yang, Tzimiropoulos', year: 2018, title: 'To learn image super-resolution, use a GAN to learn how to do image degradation first', file: '001' },
		{ authors: 'Ledig et al.', year: 2017, title: 'Photo-realistic single image super-resolution using a generative adversarial network (SRGAN)', file: '004' },
		{ authors: 'Yun, Park', year: 2020, title: 'Joint face super-resolution and deblurring using a generative adversarial network', file: '002' }
	],
	idea: 'Most super-resolution work makes its low-resolution inputs by a fixed, simple recipe; see what each recipe does to a face, and how far each lands from the plain average.',
	youCan: 'Upload a face (or use the synthetic one), then compare bicubic, bilinear, Gaussian blur, random blur kernels, motion blur, JPEG and sensor noise at 64→16 and 128→16, with each one’s distance to the average-pooled face charted.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		placeCell(faceInput, { id: 'face', title: 'Input face' }),
		{ kind: 'prose', id: 'recipes', markdown: recipes },
		placeCell(degradationGallery, { id: 'gallery', title: 'Degradations', inputs: { face: 'face' } }),
		{ kind: 'prose', id: 'l2', markdown: l2 },
		placeCell(l2Chart, { id: 'chart', title: 'L2 to the average-pooled HR (Eq. 4)', inputs: { gallery: 'gallery' } })
	]
};
