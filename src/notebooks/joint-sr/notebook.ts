// Notebook: joint face SR and deblurring (paper 002, Yun & Park; issue 15). A sharp face blurred by
// a motion kernel the person draws and shrunk ×8, through the two-branch generator (feature image,
// HR with blur, HR without blur) and its two ablation twins, with the face-region mask, Eq. 1–6 on
// this face, and §4.5's question — does the blurred branch help? — measured live on this face and
// offline on test faces. The prose is in the .md files beside this one (named by prose cell id); the
// models' facts come from their cards and static/eval at run time.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { jointNets } from './nets';
import { jointInput } from './input';
import { jointMask } from './mask';
import { jointOutputs } from './outputs';
import { jointLosses } from './lossTable';
import { jointLiveSweep } from './liveSweep';
import { jointOfflineSweep } from './offlineSweep';
import intro from './intro.md?raw';
import netsIntro from './nets-intro.md?raw';
import inputIntro from './input-intro.md?raw';
import outputsIntro from './outputs-intro.md?raw';
import lossesIntro from './losses-intro.md?raw';
import sweepIntro from './sweep-intro.md?raw';

export const jointSrNotebook: NotebookDef = {
	id: 'joint-sr',
	title: 'Joint SR and deblurring',
	papers: [
		{ authors: 'Yun, Park', year: 2020, title: 'Joint face super-resolution and deblurring using a generative adversarial network', file: '002' },
		{ authors: 'Ledig, Theis, Huszár, Caballero, Cunningham, Acosta, Aitken, Tejani, Totz, Wang, Shi', year: 2017, title: 'Photo-realistic single image super-resolution using a generative adversarial network (SRGAN)', file: '004' },
		{ authors: 'Kim, Kim, Kim, Kim, Ko', year: 2019, title: 'Progressive face super-resolution via attention to facial landmark', file: '003' }
	],
	idea: 'A blurred 16×16 face is super-resolved ×8 by one generator with two decoders — one rebuilds the HR face with the blur, the other the sharp face, borrowing the first one’s features — judged by a global and a face-region discriminator.',
	youCan:
		'Draw a motion-blur kernel (drag, arrows or sliders) over a ProGAN face or your own, see the sharp, blurred and 16×16 faces, the feature image, both decoder outputs and the face-region mask, compare the model with its twins without the blurred branch and without the local discriminator next to bicubic, read Eq. 1–6 on this face in a table and charts, and sweep the blur length live and on test faces to see whether the blurred branch helps.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		{ kind: 'prose', id: 'nets-intro', markdown: netsIntro },
		placeCell(jointNets, { id: 'nets', title: 'The three models (joint-sr and its ablation twins)' }),
		{ kind: 'prose', id: 'input-intro', markdown: inputIntro },
		placeCell(proganModel, { id: 'progan', title: 'ProGAN face generator (for HR samples)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own face' }),
		placeCell(jointInput, { id: 'input', title: 'Motion blur and ×8 down', inputs: { model: 'progan', face: 'face' } }),
		{ kind: 'prose', id: 'outputs-intro', markdown: outputsIntro },
		placeCell(jointMask, { id: 'mask', title: 'Face-region mask M_face (from landmarks)', inputs: { input: 'input' } }),
		placeCell(jointOutputs, { id: 'outputs', title: 'Feature image, both branches, and the twins side by side', inputs: { input: 'input', nets: 'nets', mask: 'mask' } }),
		{ kind: 'prose', id: 'losses-intro', markdown: lossesIntro },
		placeCell(jointLosses, { id: 'losses', title: 'Eq. 1–6 on this face', inputs: { input: 'input', nets: 'nets', mask: 'mask' } }),
		{ kind: 'prose', id: 'sweep-intro', markdown: sweepIntro },
		placeCell(jointLiveSweep, { id: 'sweep', title: 'Blur-length sweep on this face', inputs: { input: 'input', nets: 'nets' } }),
		placeCell(jointOfflineSweep, { id: 'offline', title: 'Blur-length sweep on test faces (measured offline)' })
	]
};
