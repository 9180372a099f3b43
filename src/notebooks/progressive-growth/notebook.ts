// Notebook: progressive growth. First half: the ProGAN face generator that SR-NAM builds on
// (paper 000 §3.3, §4.1, §4.3, Fig. 2 and 5; Karras et al. 2018). Second half: the progressive
// face SR network of Kim et al. 2019 (paper 003 §3.1, Eq. 1-6). The prose is in the .md files
// beside this one (named by prose cell id); the models' quality facts come from their cards at
// run time, never from this folder.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { proganLatent } from './latent';
import { proganGrowth } from './growth';
import { proganFade } from './fade';
import { proganFilmstrip } from './filmstrip';
import { psrModel } from './psrModel';
import { psrSteps } from './psrSteps';
import { psrFade } from './psrFade';
import intro from './intro.md?raw';
import latentIntro from './latent-intro.md?raw';
import growthIntro from './growth-intro.md?raw';
import fadeIntro from './fade-intro.md?raw';
import filmIntro from './film-intro.md?raw';
import psrIntro from './psr-intro.md?raw';
import psrStepsIntro from './psr-steps-intro.md?raw';
import psrFadeIntro from './psr-fade-intro.md?raw';

export const progressiveGrowth: NotebookDef = {
	id: 'progressive-growth',
	title: 'Progressive growth',
	papers: [
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' },
		{ authors: 'Karras, Aila, Laine, Lehtinen', year: 2018, title: 'Progressive growing of GANs for improved quality, stability, and variation' },
		{ authors: 'Kim, Kim, Kim, Kim, Ko', year: 2019, title: 'Progressive face super-resolution via attention to facial landmark', file: '003' }
	],
	idea: 'A GAN that learns faces at 4×4 first and doubles the resolution step by step, fading each new layer in; see one face at every size, and the fade itself — then the same growth in a 16 → 128 px face super-resolution network.',
	youCan: 'Pick a latent (two seeds and a slerp between them), see its face at 4, 8, 16, 32 and 64 px, drag α through a level’s fade-in with the generator drawn as it grows, scrub through the shipped model’s training snapshots and losses, then super-resolve a 16×16 face step by step (2×, 4×, 8×) with and without the facial attention loss and drag α through each step’s fade-in.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		placeCell(proganModel, { id: 'model', title: 'ProGAN face generator' }),
		{ kind: 'prose', id: 'latent-intro', markdown: latentIntro },
		placeCell(proganLatent, { id: 'latent', title: 'Latent z' }),
		{ kind: 'prose', id: 'growth-intro', markdown: growthIntro },
		placeCell(proganGrowth, { id: 'growth', title: 'Growth strip: 4 → 64 px', inputs: { model: 'model', latent: 'latent' } }),
		{ kind: 'prose', id: 'fade-intro', markdown: fadeIntro },
		placeCell(proganFade, { id: 'fade', title: 'Fade-in at one level boundary', inputs: { growth: 'growth' } }),
		{ kind: 'prose', id: 'film-intro', markdown: filmIntro },
		placeCell(proganFilmstrip, { id: 'filmstrip', title: 'Training filmstrip' }),
		{ kind: 'prose', id: 'psr-intro', markdown: psrIntro },
		placeCell(psrModel, { id: 'psrmodel', title: 'Progressive SR network (paper 003)' }),
		{ kind: 'prose', id: 'psr-steps-intro', markdown: psrStepsIntro },
		placeCell(faceInput, { id: 'psrface', title: 'Optional: your own face for the SR network' }),
		placeCell(psrSteps, { id: 'psrsteps', title: 'Step 1 → 2 → 3 outputs', inputs: { model: 'psrmodel', growth: 'growth', face: 'psrface' } }),
		{ kind: 'prose', id: 'psr-fade-intro', markdown: psrFadeIntro },
		placeCell(psrFade, { id: 'psrfade', title: 'Fade-in between steps', inputs: { steps: 'psrsteps' } })
	]
};
