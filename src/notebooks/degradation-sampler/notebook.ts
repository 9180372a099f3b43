// Notebook: Degradation Sampler (paper 001, Bulat, Yang, Tzimiropoulos 2018, §3.3–3.6, Eq. 1–4,
// Fig. 3; SR-NAM §3.2, Fig. 4). Learned one-to-many degradation vs the classical recipes, their
// statistics, the measured FID-proxy claims (read from the cards at run time) and both
// Low-to-High twins. Quality facts come from the cards, never from this file. Prose: one .md
// file per prose cell, named by its id.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { degraderModel } from '$cells/degraderModel';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { hrFace } from '$cells/hrFace';
import { degradationGallery } from '$cells/degradationGallery';
import { samplerGrid } from './grid';
import { samplerWalk } from './walk';
import { samplerStats } from './stats';
import { fidClaims } from './fidClaims';
import { srTwins } from './srTwins';
import { srPanel } from './srPanel';
import intro from './intro.md?raw';
import gridIntro from './grid-intro.md?raw';
import walkIntro from './walk-intro.md?raw';
import classicalIntro from './classical-intro.md?raw';
import statsIntro from './stats-intro.md?raw';
import fidIntro from './fid-intro.md?raw';
import srIntro from './sr-intro.md?raw';

export const degradationSampler: NotebookDef = {
	id: 'degradation-sampler',
	title: 'Degradation Sampler',
	papers: [
		{ authors: 'Bulat, Yang, Tzimiropoulos', year: 2018, title: 'To learn image super-resolution, use a GAN to learn how to do image degradation first', file: '001' },
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }
	],
	idea: 'Learn how faces get degraded instead of assuming bicubic: one HR face, many realistic low-resolution versions, one per noise vector.',
	youCan: 'Pick an HR face (a ProGAN sample or your own), draw a seeded grid of learned 16×16 samples, walk and nudge the noise, compare them with bicubic, bilinear, blur, motion-blur, JPEG and noise recipes in histograms, read the measured FID-proxy claims, and run both Low-to-High twins on a sample and on your own small face.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		placeCell(degraderModel, { id: 'degrader', title: 'High-to-Low degrader (model card)' }),
		placeCell(proganModel, { id: 'model', title: 'ProGAN face generator (for HR samples)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own HR face' }),
		placeCell(hrFace, { id: 'hr', title: 'HR face', inputs: { model: 'model', face: 'face' } }),
		{ kind: 'prose', id: 'grid-intro', markdown: gridIntro },
		placeCell(samplerGrid, { id: 'grid', title: 'Learned LR samples', inputs: { hr: 'hr', degrader: 'degrader' } }),
		{ kind: 'prose', id: 'walk-intro', markdown: walkIntro },
		placeCell(samplerWalk, { id: 'walk', title: 'Noise walk and nudge', inputs: { grid: 'grid', degrader: 'degrader' } }),
		{ kind: 'prose', id: 'classical-intro', markdown: classicalIntro },
		placeCell(degradationGallery, { id: 'gallery', title: 'Classical degradations of the same face', inputs: { face: 'hr' } }),
		{ kind: 'prose', id: 'stats-intro', markdown: statsIntro },
		placeCell(samplerStats, { id: 'stats', title: 'Per-sample statistics', inputs: { hr: 'hr', degrader: 'degrader', gallery: 'gallery' } }),
		{ kind: 'prose', id: 'fid-intro', markdown: fidIntro },
		placeCell(fidClaims, { id: 'fid', title: 'FID-proxy claims (from the cards)' }),
		{ kind: 'prose', id: 'sr-intro', markdown: srIntro },
		placeCell(srTwins, { id: 'srmodels', title: 'Low-to-High twins (model cards)' }),
		placeCell(faceInput, { id: 'lrface', title: 'Your real low-resolution face' }),
		placeCell(srPanel, { id: 'sr', title: 'Super-resolution side by side', inputs: { models: 'srmodels', grid: 'grid', lrFace: 'lrface' } })
	]
};
