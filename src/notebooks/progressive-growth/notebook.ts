// Notebook: progressive growth. First half: the ProGAN face generator that SR-NAM builds on
// (paper 000 §3.3, §4.1, §4.3, Fig. 2 and 5; Karras et al. 2018). Second half: the progressive
// face SR network of Kim et al. 2019 (paper 003 §3.1, Eq. 1-6). The models' quality facts
// come from their cards at run time, never from this file.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { latentParams } from '$cells/proganLatent';
import { fadeParams } from '$cells/proganFade';
import { psrModelParams } from '$cells/psrModel';
import { psrFadeParams, psrStepsParams } from '$cells/psrSteps';

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
		{
			kind: 'prose',
			id: 'intro',
			markdown: `## Growing a generator instead of building it whole

SR-NAM (§3.4) super-resolves a face by searching the latent space of a *pre-trained* face generator $G(z)$ for a face that, once degraded, matches the low-resolution input. Everything therefore rests on $G$, and §3.3 chooses the **Progressive GAN** of Karras et al. (2018) for it.

The idea (Karras et al. §2, Fig. 1; SR-NAM §3.3, Fig. 2a): train the generator and its mirrored discriminator on **4×4** images first, then add layers that double the resolution — 8, 16, 32, 64 px — while all earlier layers keep training. Why this stabilises a GAN:

- At 4×4 there is little to learn ("less class information and fewer modes", Karras §2): the pair quickly agrees on the *large-scale structure* — where the face is, light and dark, skin against background.
- Each new level then only has to add the detail missing at twice the resolution, a much easier question than "draw a 64×64 face from noise" (SR-NAM §3.3: the network can "shift attention to progressively finer scale details instead of trying to learn everything simultaneously").
- Most iterations run at low resolution, so training is also faster (Karras §2).

SR-NAM's generator has five levels, 4 → 64 px, a 512-dimensional latent, and took about two weeks on one GTX 1080 Ti (§4.1). The one here is a reimplementation trained for this lab; its card below says how, on what, and for how long.`
		},
		placeCell(proganModel, { id: 'model', title: 'ProGAN face generator' }),
		{
			kind: 'prose',
			id: 'latent-intro',
			markdown: `## A point in latent space

The generator maps $z \\in \\mathbb{R}^{512}$, drawn from $\\mathcal{N}(0, I)$, to a face. Each seed below gives one such $z$ (the same numbers in every browser, so a link reproduces the face). The slider walks from $z_A$ to $z_B$ along the great circle

$$z(t) = \\frac{\\sin((1-t)\\,\\theta)}{\\sin\\theta}\\, z_A + \\frac{\\sin(t\\,\\theta)}{\\sin\\theta}\\, z_B, \\qquad \\cos\\theta = \\frac{z_A \\cdot z_B}{\\lVert z_A\\rVert\\,\\lVert z_B\\rVert},$$

because a straight line would cut through the middle of the sphere where almost no training $z$ ever lay. (The generator normalises $z$ first — "pixel norm", Karras §4.2 — so only its direction matters, but slerp is the honest walk either way.)`
		},
		{ kind: 'progan-latent', id: 'latent', title: 'Latent z', params: latentParams },
		{
			kind: 'prose',
			id: 'growth-intro',
			markdown: `## One z at every resolution (SR-NAM Fig. 5)

SR-NAM §4.3 shows a single fixed latent rendered at 4×4, 8×8, 16×16, 32×32 and 64×64. Every level keeps its own **toRGB** head, a 1×1 convolution from that level's features $h_L$ to colours, so the finished network can still be stopped early at any level. All five are drawn at the same size below.

What to look for: in a well-trained generator the 4×4 image already fixes the layout — face position, overall colour, light direction — and every later level refines it instead of starting over. Nearest-neighbour enlargement shows each step splitting every pixel into four. A low level's toRGB head stops being trained once the next level has faded in, while the blocks feeding them kept changing (SR-NAM §3.3: "all the previous layers … remain trainable"), so they can drift away from the 64 px face — little after a long training run, a lot after a short one.`
		},
		{ kind: 'progan-growth', id: 'growth', title: 'Growth strip: 4 → 64 px', inputs: { model: 'model', latent: 'latent' } },
		{
			kind: 'prose',
			id: 'fade-intro',
			markdown: `## Fading in a new level

A freshly added level has random weights; switching it on at once would wreck the image the lower levels had learned. ProGAN instead fades it in (Karras §2, Fig. 2; SR-NAM §3.3 and Fig. 2b). While level $L$ is being added, the output is

$$x_L = (1-\\alpha)\\; \\mathrm{up}_2\\big(\\mathrm{toRGB}_{L/2}(h_{L/2})\\big) \\;+\\; \\alpha\\; \\mathrm{toRGB}_L\\big(\\mathrm{block}_L(h_{L/2})\\big),$$

where $h_{L/2}$ are the features of the previous level, $\\mathrm{up}_2$ is nearest-neighbour ×2 upsampling, and $\\mathrm{block}_L$ is the new pair of 3×3 convolutions after its own ×2 upsample. During training $\\alpha$ rises linearly from 0 to 1; the discriminator fades in its new \`fromRGB\` layer the same way. With $\\alpha$ small the new layers act like a residual correction on top of the old image (SR-NAM Fig. 2b caption).

Drag $\\alpha$: at 0 you see the old level's face blown up in 2×2 blocks; as it grows the new level's detail takes over. Here both terms come from the *finished* network, so at $\\alpha = 0$ you see what the old head makes now, not what it made during that fade.`
		},
		{ kind: 'progan-fade', id: 'fade', title: 'Fade-in at one level boundary', params: fadeParams, inputs: { growth: 'growth' } },
		{
			kind: 'prose',
			id: 'film-intro',
			markdown: `## Watching it train

While the shipped weights were trained, the trainer rendered the same 16 fixed latents every few thousand images (and at every phase end). Scrub through them: faces first appear as 4×4 blobs, then sharpen level by level, with a visible jolt at each new level that the fade-in softens.

The charts show the WGAN-GP losses (Karras App. A.1): the critic's $L_D = \\mathbb{E}[D(\\tilde x)] - \\mathbb{E}[D(x)] + \\lambda\\,\\mathrm{GP} + \\epsilon_{drift}\\,\\mathbb{E}[D(x)^2]$ and the generator's $L_G = -\\mathbb{E}[D(\\tilde x)]$, one minibatch each, so they are noisy. Neither is a quality score: they measure how the two networks currently stand against each other, and both jump when a level is added (dashed lines).`
		},
		{ kind: 'progan-filmstrip', id: 'filmstrip', title: 'Training filmstrip' },
		{
			kind: 'prose',
			id: 'psr-intro',
			markdown: `## Growing a super-resolution network (Kim et al. 2019)

The same idea works for super-resolution. Kim et al. (paper 003, §3.1, Fig. 1) grow a face SR network in three **steps**: step 1 learns 16 → 32 px (2×), step 2 adds layers for 64 px (4×), step 3 for 128 px (8×). Each step is a residual block with batch norm, a transposed convolution that doubles the size, and ReLU, with its own 1×1 toRGB head; the discriminator mirrors it (convolutions, average pooling, leaky ReLU, a minibatch-standard-deviation map). When step $N$ is added its output is faded in over the previous step's,

$$\hat I_N = (1-\alpha)\, f\big(G^{N-1}(I)\big) + \alpha\, G^N(I), \qquad N \in \{2, 3\},$$

with $f$ nearest-neighbour ×2 and $\alpha$ rising linearly from 0 to 1 (§3.1). Each step is trained on its own size of target — the HR face bilinearly downsampled to 32 or 64 px, or the 128 px face itself (§4.1) — with Eq. 6,

$$L = a\,L_{pixel} + b\,L_{feat} + c\,L_{WGAN} \;\;(\text{step 1}), \qquad \ldots + \lambda\,L_{heatmap} + \eta\,L_{attention} \;\;(\text{steps 2, 3}),$$

where $L_{pixel}$ is the MSE (Eq. 2), $L_{feat}$ a feature-space distance (Eq. 3), $L_{WGAN}$ WGAN-GP (Eq. 4), $L_{heatmap}$ compares landmark heatmaps of the output and the target (Eq. 5), and the **facial attention loss** (Eq. 1)

$$L_{attention} = \frac{1}{r^2WH}\sum_{x,y} M^*_{x,y}\,\big|I^{HR}_{x,y} - G(I^{LR})_{x,y}\big|$$

weights the error by $M^*$, the channel-wise maximum of the 68 min-max-normalised landmark heatmaps, so eyes, nose, mouth and jaw count more than cheeks and background.

Two networks ship here, trained identically except for $\eta$: one with the attention loss and its twin without. Both are small CPU-trained stand-ins; their card below says exactly which substitutes were used (the feature network of Eq. 3, where $M^*$ came from, whether Eq. 5 was on) and gives their test PSNR, SSIM and MS-SSIM next to bicubic upsampling — the paper's Table 2 comparison, measured, whatever it shows. Because both twins see the same test faces, the card also gives the per-face difference between them with a 95% interval: a gap smaller than its interval is no gap. The interval covers the choice of test faces only; with one training seed per twin, a small gap may still be the seed's doing.`
		},
		{ kind: 'psr-model', id: 'psrmodel', title: 'Progressive SR network (paper 003)', params: psrModelParams },
		{
			kind: 'prose',
			id: 'psr-steps-intro',
			markdown: `## One face through the three steps

Below, a 16×16 face goes through the network once. By default it is the ProGAN face above (its 64 px image averaged down to 16 px), so changing the latent changes the input; or choose the face cell to upload your own (it is bilinearly reduced from 128 to 16 px, as the training inputs were). Every step's own head is shown, each enlarged to the same size, with bicubic ×8 for comparison and PSNR against the face it came from.`
		},
		placeCell(faceInput, { id: 'psrface', title: 'Optional: your own face for the SR network' }),
		{ kind: 'psr-steps', id: 'psrsteps', title: 'Step 1 → 2 → 3 outputs', params: psrStepsParams, inputs: { model: 'psrmodel', growth: 'growth', face: 'psrface' } },
		{
			kind: 'prose',
			id: 'psr-fade-intro',
			markdown: `## Fading in a step

Drag $\alpha$ for each transition: at $\alpha = 0$ the step's output is the previous step's image in 2×2 blocks, $f(G^{N-1}(I))$; at $\alpha = 1$ it is the new step's own head $G^N(I)$. During training $\alpha$ climbed from 0 to 1 over the first half of steps 2 and 3. As in the ProGAN fade above, both terms come from the *finished* network.`
		},
		{ kind: 'psr-fade', id: 'psrfade', title: 'Fade-in between steps', params: psrFadeParams, inputs: { steps: 'psrsteps' } }
	]
};
