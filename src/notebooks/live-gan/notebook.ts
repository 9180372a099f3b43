// Notebook: Live GAN. A tiny progressive GAN (Karras et al. 2018; SR-NAM §3.3) trained with
// WGAN-GP in the browser on faces the shipped ProGAN generates or on the person's own faces;
// the compute is src/lib/gan/.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { proganModel } from '$cells/proganModel';
import { ganFaces } from './faces';
import { ganTrain } from './train';
import intro from './intro.md?raw';
import watching from './watching.md?raw';

export const liveGan: NotebookDef = {
	id: 'live-gan',
	title: 'Live GAN training',
	papers: [
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' },
		{ authors: 'Karras, Aila, Laine, Lehtinen', year: 2018, title: 'Progressive growing of GANs for improved quality, stability, and variation' },
		{ authors: 'Gulrajani, Ahmed, Arjovsky, Dumoulin, Courville', year: 2017, title: 'Improved training of Wasserstein GANs' }
	],
	idea: 'Train a tiny progressive GAN on faces in your browser and watch it grow from 4 to 16 (or 32) px as each new resolution fades in.',
	youCan: 'Train on ProGAN samples or your own folder of faces; run, pause, single-step and reset WGAN-GP training; watch samples from fixed latents, the fade-in α, the losses and the measured speed; reload and carry on.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		placeCell(proganModel, { id: 'model', title: 'The ProGAN generator (one source of training faces)' }),
		placeCell(ganFaces, { id: 'faces', title: 'Training faces', inputs: { model: 'model' } }),
		{ kind: 'prose', id: 'watching', markdown: watching },
		placeCell(ganTrain, { id: 'train', title: 'Live training', inputs: { faces: 'faces' } })
	]
};
