// Notebook: SRGAN, which loss? (paper 004, Ledig et al. CVPR 2017, §1–3, Eq. 2–6, Fig. 2–4;
// issue 14). Three SRResNet generators that differ only in the loss (MSE, feature content,
// content + adversarial) on the same LR face, what each loss sees (maps), why MSE blurs (the mean
// of plausible faces found by an SR-NAM search, paper 000 Eq. 6), and the perception–distortion
// plane measured offline. The prose is in the .md files beside this one (named by prose cell id);
// the nets' quality facts come from their cards and from static/eval at run time.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { srganInput } from './input';
import { srganNets } from './nets';
import { srganCompare } from './compare';
import { srganLossMaps } from './lossMaps';
import { srganMeanFace } from './meanFace';
import { srganPlane } from './plane';
import { srganMos } from './mos';
import intro from './intro.md?raw';
import compareIntro from './compare-intro.md?raw';
import lossIntro from './loss-intro.md?raw';
import meanIntro from './mean-intro.md?raw';
import planeIntro from './plane-intro.md?raw';
import mosIntro from './mos-intro.md?raw';

export const srgan: NotebookDef = {
	id: 'srgan',
	title: 'SRGAN: which loss?',
	papers: [
		{ authors: 'Ledig, Theis, Huszár, Caballero, Cunningham, Acosta, Aitken, Tejani, Totz, Wang, Shi', year: 2017, title: 'Photo-realistic single image super-resolution using a generative adversarial network (SRGAN)', file: '004' },
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }
	],
	idea: 'The same super-resolution network trained on three losses — pixel MSE, a feature-space content loss, and content plus an adversarial term — gives three different faces: the MSE one wins on PSNR and looks blurry, because it is pulled towards the average of all faces that fit.',
	youCan:
		'Super-resolve a 16×16 face (a ProGAN sample, your face, or your own small face) with SRResNet-MSE, SRResNet-content and SRGAN next to bicubic and the HR with PSNR/SSIM, switch between the pixel-error, feature-distance and discriminator maps of every output, find several faces that explain the same LR and see their blurry mean beside the MSE net, rate every version blind from 1 to 5 (a mini-MOS test with per-method means and 95% intervals, kept in the session, downloadable), and read every method’s measured place on the PSNR–FID-proxy plane.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		placeCell(srganNets, { id: 'nets', title: 'The three nets (SRResNet-MSE, SRResNet-content, SRGAN)' }),
		{ kind: 'prose', id: 'compare-intro', markdown: compareIntro },
		placeCell(proganModel, { id: 'progan', title: 'ProGAN face generator (for HR samples and the search)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own face' }),
		placeCell(srganInput, { id: 'input', title: 'LR input', inputs: { model: 'progan', face: 'face' } }),
		placeCell(srganCompare, { id: 'compare', title: 'Bicubic, SRResNet-MSE, SRResNet-content, SRGAN and the HR', inputs: { input: 'input', nets: 'nets' } }),
		{ kind: 'prose', id: 'loss-intro', markdown: lossIntro },
		placeCell(srganLossMaps, { id: 'maps', title: 'What each loss sees', inputs: { compare: 'compare', nets: 'nets' } }),
		{ kind: 'prose', id: 'mean-intro', markdown: meanIntro },
		placeCell(srganMeanFace, { id: 'mean', title: 'Plausible faces for this LR and their mean', inputs: { compare: 'compare', model: 'progan' } }),
		{ kind: 'prose', id: 'mos-intro', markdown: mosIntro },
		placeCell(srganMos, { id: 'mos', title: 'Blind mini-MOS: rate the versions of this face', inputs: { compare: 'compare' } }),
		{ kind: 'prose', id: 'plane-intro', markdown: planeIntro },
		placeCell(srganPlane, { id: 'plane', title: 'Perception–distortion plane (measured offline)' })
	]
};
