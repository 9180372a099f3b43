// Notebook: Live SR-NAM (paper 000 §3.4 Eq. 6, §4.1, §4.4): search the ProGAN latent space
// for faces whose degradation matches a 16×16 input, with K random restarts at once.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { heatmapModels } from '$cells/heatmapModels';
import { degraderModel } from '$cells/degraderModel';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { inputParams, searchParams } from '$cells/srnam';

export const srnam: NotebookDef = {
	id: 'srnam',
	title: 'Live SR-NAM',
	papers: [{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }],
	idea: 'Super-resolve a 16×16 face by searching a face generator’s latent space for faces that, once degraded, match it; different random starts find different faces.',
	youCan: 'Pick the LR input, run, pause, step and scrub back through the search with K restarts; watch the per-restart losses, the candidates and their degradations, how different they are, their mean and the paths of the latents; pin candidates, export PNG/GIF, reload or share the run.',
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
		{
			kind: 'prose',
			id: 'settings',
			markdown: `## What the settings change

- **Degrader noise.** $D$ takes a noise vector $n$ as well as the face (§3.2): one HR face has many plausible LR versions. *Fixed* draws $n_k$ once from the seed and searches $z$ only, so every candidate must explain the input under that one degradation. *Optimised with z* also descends on $n_k$: the search may pick the degradation that fits best, which lowers the loss further but lets part of the mismatch be "explained away" by the noise instead of the face.
- **Adam** (lr, $\\beta_1$, $\\beta_2$): the paper uses Adam's defaults (lr $10^{-3}$, 0.9, 0.999) for 250–500 steps (§4.1); the default rate here is larger so that a few dozen steps show the search.
- **Latent-norm prior (extension, not in the paper; off by default):** adds $w\\sum_k (\\lVert z_k\\rVert^2/d - 1)^2$ to Eq. 6, keeping each $z_k$ on the shell where $\\mathcal{N}(0, I)$ puts its mass.
- **Closeness to a known HR:** PSNR and SSIM are shown for orientation only (§4.4 declines them as quality measures). The paper proposes its own metric (§4.4), which it did not compute for lack of resources:

$$\text{heatmap\_metric} = \frac{1}{N}\sum_{n=1}^{N}\sum_{i,j}\big(\hat M^n_{i,j} - M^n_{i,j}\big)^2 \qquad \text{(Eq. 7)}$$

  with $\hat M^n$ the heatmap of landmark $n$ found on a candidate $G(z_k)$ and $M^n$ the one found on the original HR face ($N = 68$ landmarks at 64×64). Lower means the candidate's eyes, nose, mouth and jaw sit where the HR's do, whatever its colours; it is shown next to PSNR/SSIM when the HR is known. The landmark network is face-api's 68-point net (points rendered as Gaussians of σ = 1.5 px), or the distilled heatmap student of the attention-loss notebook when face-api's weights cannot be loaded; the cell below says which.

The run is saved in this session as it goes (losses of every step, latents every 5th): reload and it resumes, and carries on if it was running. A link carries the input, the settings and the seeds, so pressing Run replays the same run: identical numbers on the same backend. Across backends the losses agree within $2\\times10^{-3}$ at the start and, in our browser test, still after two Adam steps (with the shipped weights: WebGPU and WASM both 0.40846, no difference at float32 print precision; 4.5e-7 apart at the start); over longer runs float rounding differs between backends and a non-convex search lets such differences grow, so compare long runs on the same backend. (With the first ProGAN weights WebGPU used to end those two steps at 0.51 instead of 0.41: tfjs' WebGPU matrix product with a transposed operand, which the backward pass of ProGAN's first dense layer uses, was wrong; srlab now routes that case around it.) The Eq. 7 numbers are computed whenever the search is paused or finished (their landmark passes would otherwise hold up the run).

The Adam steps run in a Web Worker on the same backend as the page (on the CPU backend, and in browsers without module workers, they run in the page), so a backward pass that takes a second never freezes the controls; the worker's steps still wait their turn in the page's one GPU queue, a few steps at a time. If the worker's GPU device is lost, the notebook says so and the search resumes from its last save on a fresh worker.`
		},
		placeCell(proganModel, { id: 'model', title: 'Generator G (ProGAN)' }),
		placeCell(degraderModel, { id: 'degrader', title: 'Degrader D' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own face' }),
		{ kind: 'srnam-input', id: 'input', title: 'LR input', params: inputParams, inputs: { model: 'model', degrader: 'degrader', face: 'face' } },
		placeCell(heatmapModels, { id: 'landmarks', title: 'Landmark networks for Eq. 7' }),
		{ kind: 'srnam-search', id: 'search', title: 'Latent search', params: searchParams, inputs: { model: 'model', degrader: 'degrader', input: 'input', landmarks: 'landmarks' } }
	]
};
