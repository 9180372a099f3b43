// Notebook: classical degradations. Model-free, so it proves the runtime, sessions and links
// on their own. Prose cites the papers in ../shared/papers by section and equation.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { faceInput } from '$cells/faceInput';
import { degradationGallery } from '$cells/degradationGallery';

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
		{
			kind: 'prose',
			id: 'intro',
			markdown: `## Where low-resolution faces come from

A super-resolution network learns a map from low-resolution (LR) inputs $I^{LR}$ to high-resolution (HR) outputs $I^{HR}$. To train it one needs pairs, and almost every paper **makes** the LR half of each pair from the HR half by a fixed recipe. SRGAN (Ledig et al., §2) writes it down: $I^{LR}$ is obtained by applying a Gaussian filter to $I^{HR}$ and downsampling by a factor $r$; in its experiments (§3.2) the recipe is a bicubic kernel with $r = 4$.

Bulat, Yang and Tzimiropoulos (the High-to-Low paper, §1) argue that this is exactly why such networks fail on real photos: real small faces are blurred by motion and defocus, compressed, and noisy in ways no single recipe captures. Their answer is to *learn* the degradation (see the Degradation sampler notebook). This notebook shows the recipes themselves.

Start with a face. The synthetic face is drawn by code; upload a photo, drop one here, or take one with your camera to use your own. srlab finds the face and crops it square, forehead to chin, at 128×128, like the training faces.`
		},
		placeCell(faceInput, { id: 'face', title: 'Input face' }),
		{
			kind: 'prose',
			id: 'recipes',
			markdown: `## The recipes

Each recipe reduces the face to 16×16 (from its 64×64 or 128×128 version — the *source* parameter), then shows it enlarged with nearest-neighbour so every LR pixel is visible.

- **Bicubic** and **bilinear** resampling: the usual "simple downsampling" (High-to-Low §2; SRGAN §3.2). Both are antialiased: the interpolation kernel is stretched by the scale factor, as image libraries do when shrinking.
- **Gaussian blur + downsample**: SRGAN's formulation (§2), blur with standard deviation $\\sigma$, then decimate.
- **Random blur kernel (2–6 px) + bilinear**: the High-to-Low paper's *Low-to-High-trained-on-bilinear-blur* baseline (§4), "a random blur kernel with a kernel size varying from 2 to 6 px". The kernel is seeded, so a link reproduces it.
- **Motion blur + downsample**: the degradation of the joint face SR and deblurring paper (Yun & Park, §1, §4.1): a camera or subject moving during the exposure smears the face along a line.
- **JPEG**: compression artefacts at a chosen quality, applied to the 16×16 result — one of the nuisance factors the High-to-Low paper lists (§1).
- **Sensor noise**: Gaussian noise of standard deviation $\\sigma_n$, seeded.`
		},
		placeCell(degradationGallery, { id: 'gallery', title: 'Degradations', inputs: { face: 'face' } }),
		{
			kind: 'prose',
			id: 'l2',
			markdown: `## How far is each from the plain average?

The High-to-Low paper keeps its learned degradation faithful to the face with a pixel loss against the *average-pooled* HR image (Eq. 4):

$$l_{pixel} = \\frac{1}{WH} \\sum_{i=1}^{W} \\sum_{j=1}^{H} \\left(F(I^{hr})_{i,j} - G_{\\theta_G}(I^{d})_{i,j}\\right)^2$$

where $F$ is average pooling to the output size ($W = H = 16$ here). The chart computes exactly this for every recipe above (averaged over the three colour channels as well, with pixel values in $[0, 1]$). A small value means the recipe is close to plain averaging; blur, motion and noise move away from it in different ways — and none of them looks like the real small faces the paper trains on.`
		},
		{ kind: 'l2-chart', id: 'chart', title: 'L2 to the average-pooled HR (Eq. 4)', inputs: { gallery: 'gallery' } }
	]
};
