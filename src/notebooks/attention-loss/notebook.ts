// Notebook: Attention-Heatmap Loss Explorer (paper 003, Kim et al. 2019, §3.2–3.4, Eq. 1, 2, 5;
// SR-NAM's heatmap metric, paper 000 Eq. 7). Perturb a face, watch which loss notices. The
// prose is in the .md files beside this one (named by prose cell id); the cell kinds only this
// notebook uses are here too. The student's quality facts come from its card at run time.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { heatmapModels } from '$cells/heatmapModels';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { hrFace } from '$cells/hrFace';
import { hrLandmarks } from './landmarks';
import { srImage } from './srImage';
import { lossMaps } from './lossMaps';
import { experiment } from './experiment';
import intro from './intro.md?raw';
import netsIntro from './nets-intro.md?raw';
import srIntro from './sr-intro.md?raw';
import lossIntro from './loss-intro.md?raw';
import experimentIntro from './experiment-intro.md?raw';

export const attentionLoss: NotebookDef = {
	id: 'attention-loss',
	title: 'Attention-Heatmap Loss Explorer',
	papers: [
		{ authors: 'Kim, Kim, Kim, Kim, Choi, Lee', year: 2019, title: 'Progressive face super-resolution via attention to facial landmark', file: '003' },
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }
	],
	idea: 'A pixel loss treats every pixel alike; a facial attention loss weighs the error by landmark heatmaps, so damage to the eyes costs more than damage to the background.',
	youCan: 'Perturb a face (blur, noise, shift or erase, by landmark group or with a brush) or judge bicubic SR or the progressive SR network’s output, see the 68 landmark heatmaps of a teacher and a distilled student side by side, M*, the error and loss maps, a live table and charts of seven losses, and an equal-energy experiment: eyes versus background.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		{ kind: 'prose', id: 'nets-intro', markdown: netsIntro },
		placeCell(heatmapModels, { id: 'models', title: 'Heatmap networks (teacher and student)' }),
		placeCell(proganModel, { id: 'progan', title: 'ProGAN face generator (for HR samples)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own HR face' }),
		placeCell(hrFace, { id: 'hr', title: 'HR face', inputs: { model: 'progan', face: 'face' } }),
		placeCell(hrLandmarks, { id: 'hrmaps', title: 'Landmarks of the HR face', inputs: { hr: 'hr', models: 'models' } }),
		{ kind: 'prose', id: 'sr-intro', markdown: srIntro },
		placeCell(srImage, { id: 'sr', title: 'SR image (perturbation, bicubic or progressive SR)', inputs: { hrmaps: 'hrmaps', models: 'models' } }),
		{ kind: 'prose', id: 'loss-intro', markdown: lossIntro },
		placeCell(lossMaps, { id: 'loss', title: 'Heatmaps, loss maps and the numbers', inputs: { hrmaps: 'hrmaps', sr: 'sr' } }),
		{ kind: 'prose', id: 'experiment-intro', markdown: experimentIntro },
		placeCell(experiment, { id: 'experiment', title: 'Equal-energy experiment: eyes vs background', inputs: { hrmaps: 'hrmaps', models: 'models' } })
	]
};
