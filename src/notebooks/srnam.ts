// Notebook: Live SR-NAM (paper 000 §3.4 Eq. 6, §4.1, §4.4): search the ProGAN latent space
// for faces whose degradation matches a 16×16 input, with K random restarts at once.

import type { NotebookDef } from '$lib/notebook/types';
import { inputParams, searchParams } from '$cells/srnam';

export const srnam: NotebookDef = {
	id: 'srnam',
	title: 'Live SR-NAM',
	papers: [{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }],
	idea: 'Super-resolve a 16×16 face by searching a face generator’s latent space for faces that, once degraded, match it; different random starts find different faces.',
	youCan: 'Pick the LR input, run, pause or step the search with K restarts, and watch the per-restart losses, the candidates and their degradations, how different they are, their mean, and the paths of the latents.',
	cells: [
		{
			kind: 'prose',
			id: 'intro',
			markdown: `## Super-resolution as a search (SR-NAM §3.4)

With a pre-trained face generator $G$ (ProGAN, §3.3) and a pre-trained degrader $D$ (§3.2), SR-NAM does not train a super-resolution network at all. For a low-resolution face $I_{LR}$ it looks for a latent $z$ with

$$z^* = \\operatorname{argmin}_z \\lVert D(G(z)) - I_{LR} \\rVert_1 \\qquad \\text{(Eq. 6)}$$

by gradient descent on $z$ alone (Adam, §4.1; the paper runs 250–500 iterations). $G(z^*)$ is the answer. The problem is non-convex, so different random starts $z_k \\sim \\mathcal{N}(0, I)$ end at different faces that all degrade to (nearly) the same input: **multiple solutions** (§3.4). Here the $K$ restarts run as one batch; their losses are summed, so each follows its own gradient.

Both networks below are small CPU-trained stand-ins (their cards say so), and the degrader's noise input makes $D$ one-to-many; the ProGAN-sample input is inside $G$'s range, so an exact answer exists.`
		},
		{ kind: 'progan-model', id: 'model', title: 'Generator G (ProGAN)' },
		{ kind: 'srnam-degrader', id: 'degrader', title: 'Degrader D' },
		{ kind: 'face-input', id: 'face', title: 'Optional: your own face', imageInput: true },
		{ kind: 'srnam-input', id: 'input', title: 'LR input', params: inputParams, inputs: { model: 'model', degrader: 'degrader', face: 'face' } },
		{ kind: 'srnam-search', id: 'search', title: 'Latent search', params: searchParams, inputs: { model: 'model', degrader: 'degrader', input: 'input' } }
	]
};
