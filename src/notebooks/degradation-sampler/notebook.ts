// Notebook: Degradation Sampler (paper 001, Bulat, Yang, Tzimiropoulos 2018, §3.3–3.6, Eq. 1–4,
// Fig. 3; SR-NAM §3.2, Fig. 4). Learned one-to-many degradation vs the classical recipes, their
// statistics, the measured FID-proxy claims (read from the cards at run time) and both
// Low-to-High twins. Quality facts come from the cards, never from this file.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { degraderModel } from '$cells/degraderModel';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { hrFace } from '$cells/hrFace';
import { degradationGallery } from '$cells/degradationGallery';
import { gridParams, walkParams } from '$cells/samplerGrid';
import { statsParams } from '$cells/samplerStats';

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
		{
			kind: 'prose',
			id: 'intro',
			markdown: `## Learn the degradation first (High-to-Low, §3.3)

Super-resolution networks are usually trained on pairs whose low-resolution half was *made* from the high-resolution half by bicubic or bilinear downsampling (see the Classical degradations notebook). Real small faces — cut from crowd photos — are blurred, noisy, compressed and colour-shifted in ways no fixed recipe reproduces, so such networks fail on them (Bulat et al. §1).

The High-to-Low GAN learns the degradation instead. Its generator $G_{\\theta_G}$ takes an HR face $I^{hr}$ (64×64) **and a noise vector** $z \\in \\mathbb{R}^{100}$, projected by a dense layer to one extra 64×64 input channel, and outputs a 16×16 face $I^d$. The noise makes the map *one-to-many*: one HR face has many plausible LR versions (§3.3, Fig. 3). Its discriminator sees real LR faces from an **unpaired** set (WIDER FACE crops here), so the generator must produce their artefacts. Each network is trained with (§3.5)

$$l = \\alpha\\, l_{pixel} + \\beta\\, l_{GAN}, \\qquad \\text{(Eq. 1)}$$

with the hinge GAN loss of the spectral-norm GAN

$$l_{GAN} = \\mathbb{E}_{x \\sim \\mathbb{P}_r}\\big[\\min(0, -1 + D(x))\\big] + \\mathbb{E}_{\\hat x \\sim \\mathbb{P}_g}\\big[\\min(0, -1 - D(\\hat x))\\big], \\qquad \\text{(Eq. 2)}$$

where the discriminator's weights are spectrally normalised, $W_{SN}(W) = W / \\sigma(W)$ (Eq. 3), and a pixel loss that only keeps identity, pose and expression:

$$l_{pixel} = \\frac{1}{WH} \\sum_{i=1}^{W} \\sum_{j=1}^{H} \\big(F(I^{hr})_{i,j} - G_{\\theta_G}(I^d)_{i,j}\\big)^2, \\qquad \\text{(Eq. 4)}$$

with $F$ = average pooling to 16×16 for High-to-Low and the identity for Low-to-High; $\\alpha = 1$, $\\beta = 0.05$ (§3.6). The same degrader is SR-NAM's degradation model (§3.2).

**Read the cards first.** The networks here are small stand-ins trained for minutes on a CPU, not the paper's models (≈570,000 updates on a GPU); their cards below say exactly how they were made.`
		},
		placeCell(degraderModel, { id: 'degrader', title: 'High-to-Low degrader (model card)' }),
		placeCell(proganModel, { id: 'model', title: 'ProGAN face generator (for HR samples)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own HR face' }),
		placeCell(hrFace, { id: 'hr', title: 'HR face', inputs: { model: 'model', face: 'face' } }),
		{
			kind: 'prose',
			id: 'grid-intro',
			markdown: `## One face, many LR faces (Fig. 3)

Each tile is $G_{\\theta_G}(I^{hr}, z_i)$ for the same HR face and a different $z_i \\sim \\mathcal{N}(0, I)$, drawn from the seed (the same tiles in every browser, so a link reproduces them). Look for what changes between tiles — brightness, colour cast, blur, blocky or speckled texture — and what stays: the face's layout, kept by Eq. 4. A well-trained degrader varies much more than this CPU stand-in, whose learned part is a small residual on top of average pooling (see its card's deviations).`
		},
		{ kind: 'sampler-grid', id: 'grid', title: 'Learned LR samples', params: gridParams, inputs: { hr: 'hr', degrader: 'degrader' } },
		{
			kind: 'prose',
			id: 'walk-intro',
			markdown: `## Moving through the noise

The slider walks from $z_1$ (the grid's first noise vector) to a second seeded vector $z_B$ on the great circle, $z(t) = \\frac{\\sin((1-t)\\theta)}{\\sin\\theta} z_1 + \\frac{\\sin(t\\theta)}{\\sin\\theta} z_B$, so every point keeps the norm a training $z$ had. Below it, a single coordinate $d$ of $z_1$ is pushed by $s$: $z = z_1 + s\\,e_d$. The number beside each is the mean absolute change of the 16×16 output, in 8-bit grey levels — many directions barely matter, which is what a short training run leaves behind.`
		},
		{ kind: 'sampler-walk', id: 'walk', title: 'Noise walk and nudge', params: walkParams, inputs: { grid: 'grid', degrader: 'degrader' } },
		{
			kind: 'prose',
			id: 'classical-intro',
			markdown: `## The classical baselines, same face

The hand-made recipes of the Classical degradations notebook, applied to the HR face above: bicubic and bilinear (§1, §4, baseline 1), a random 2–6 px blur kernel + bilinear (§4, baseline 2), Gaussian blur + downsampling (SRGAN §2), motion blur + downsampling (Yun & Park), JPEG and sensor noise. Each shows its Eq. 4 distance to $F(I^{hr})$. (For a ProGAN sample, keep the source at 64×64: its "128×128" version is the 64×64 face with every pixel repeated.)`
		},
		placeCell(degradationGallery, { id: 'gallery', title: 'Classical degradations of the same face', inputs: { face: 'hr' } }),
		{
			kind: 'prose',
			id: 'stats-intro',
			markdown: `## Statistics over many samples

For each learned sample, against $F(I^{hr})$: the **colour shift** $\\lVert \\overline{\\mathrm{RGB}}(I^d) - \\overline{\\mathrm{RGB}}(F(I^{hr})) \\rVert_2$; **blur** as high-frequency energy, the mean squared 4-neighbour Laplacian of the luminance (blur lowers it, noise and blocking raise it); **noise** as the standard deviation of the luminance minus its 3×3 median; and the **Eq. 4 L2**. The histograms show the spread over the samples; the dashed rules mark $F(I^{hr})$ and each classical recipe above, so you can see where the learned distribution sits among them. These are descriptive numbers for one face, not a quality score.`
		},
		{ kind: 'sampler-stats', id: 'stats', title: 'Per-sample statistics', params: statsParams, inputs: { hr: 'hr', degrader: 'degrader', gallery: 'gallery' } },
		{
			kind: 'prose',
			id: 'fid-intro',
			markdown: `## Does it look like real LR? The measured claims

The paper's evidence is that LR faces from High-to-Low are closer to real LR faces than bicubic ones, and that a Low-to-High net trained on them super-resolves *real* LR faces better than one trained on bicubic LR (§4). Our training pipeline measured both with the **FID-proxy**: the Fréchet distance between two sets of face-api 128-D face-recognition descriptors. The table is read from the model cards as shipped.

What it means: lower is closer; the learned degrader's LR is closer to held-out real LR faces than bicubic LR is, and the degrader-trained SR is closer to real HR faces than its bicubic-trained twin — both claims hold *in direction*. What it does not mean: it is **not Inception FID** and cannot be compared with the paper's numbers; each side has only **N = 104** faces (the real-LR test split), which biases the values upwards and leaves overlapping spreads (mean ± sd over 3 subsampling seeds); the recognition net sees 16×16 faces blown up ~9×; and the models are **CPU stand-ins**. Most importantly, **neither learned SR net beats plain bicubic upsampling** on this proxy — the table says so when it happens. A 15-minute CPU run does not reproduce the paper's result; it only shows the direction.`
		},
		{ kind: 'fid-table', id: 'fid', title: 'FID-proxy claims (from the cards)' },
		{
			kind: 'prose',
			id: 'sr-intro',
			markdown: `## Low-to-High (§3.4)

The Low-to-High generator maps 16×16 to 64×64 (17 residual blocks in groups of 2, 3 and 12, bilinear ×2 twice) and is trained *paired* with Eq. 1, with $F$ the identity in Eq. 4. One twin was trained on the degrader's outputs (fresh noise per batch, §3.6), the other on bicubic LR. Below, both and plain bicubic ×4 upsampling run on the grid's first learned sample (its HR is known, so PSNR is computed) and on a face of your own: upload a **small, real low-resolution face** below — it is cropped square at 128×128 like every upload (a tiny image is enlarged to get there), then **area-averaged to 16×16**, so what the networks see is a 16×16 face either way.`
		},
		{ kind: 'sr-models', id: 'srmodels', title: 'Low-to-High twins (model cards)' },
		placeCell(faceInput, { id: 'lrface', title: 'Your real low-resolution face' }),
		{ kind: 'sampler-sr', id: 'sr', title: 'Super-resolution side by side', inputs: { models: 'srmodels', grid: 'grid', lrFace: 'lrface' } }
	]
};
