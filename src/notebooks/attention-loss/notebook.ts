// Notebook: Attention-Heatmap Loss Explorer (paper 003, Kim et al. 2019, §3.2–3.4, Eq. 1, 2, 5;
// SR-NAM's heatmap metric, paper 000 Eq. 7). Perturb a face, watch which loss notices. The
// student's quality facts come from its card at run time, never from this file.

import type { NotebookDef } from '$lib/notebook/types';
import { placeCell } from '$lib/notebook/cellKind';
import { heatmapModels } from '$cells/heatmapModels';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { hrFace } from '$cells/hrFace';
import { srParams } from '$cells/attentionInputs';
import { experimentParams, lossParams } from '$cells/attentionLoss';

export const attentionLoss: NotebookDef = {
	id: 'attention-loss',
	title: 'Attention-Heatmap Loss Explorer',
	papers: [
		{ authors: 'Kim, Kim, Kim, Kim, Choi, Lee', year: 2019, title: 'Progressive face super-resolution via attention to facial landmark', file: '003' },
		{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }
	],
	idea: 'A pixel loss treats every pixel alike; a facial attention loss weighs the error by landmark heatmaps, so damage to the eyes costs more than damage to the background.',
	youCan: 'Perturb a face (blur, noise, shift or erase, by landmark group or with a brush) or judge bicubic SR, see the 68 landmark heatmaps of a teacher and a distilled student side by side, M*, the error and loss maps, a live table and charts of seven losses, and an equal-energy experiment: eyes versus background.',
	cells: [
		{
			kind: 'prose',
			id: 'intro',
			markdown: `## Which pixels should a face SR loss care about?

The usual super-resolution loss is the pixel-wise mean squared error between the target $I^{HR}$ and the network's output $G(I^{LR})$, upscaled by a factor $r$ from a $W \\times H$ input (paper 003 §3.4):

$$L_{pixel} = \\frac{1}{r^2WH} \\sum_{x=1}^{rW} \\sum_{y=1}^{rH} \\big(I^{HR}_{x,y} - G(I^{LR})_{x,y}\\big)^2. \\qquad \\text{(Eq. 2)}$$

Every pixel counts the same: a smudged eye and a smudged patch of hair cost alike, although a person notices only the first. Kim et al. (§3.2) therefore weight the error by where the **facial landmarks** are. A landmark network $F_d$ turns a face into $N = 68$ heatmaps $M$ (one per landmark, high near it); their channel-wise maximum, min-max normalised into $[0, 1]$ "to compensate for the variance between the landmarks", is the attention map $M^*$, and

$$L_{attention} = \\frac{1}{r^2WH} \\sum_{x=1}^{rW} \\sum_{y=1}^{rH} M^*_{x,y} \\cdot |I^{HR}_{x,y} - G(I^{LR})_{x,y}|. \\qquad \\text{(Eq. 1)}$$

They also use the **heatmap loss** of Bulat et al., which compares the landmark heatmaps of the target, $M = F_d(I^{HR})$, with those of the output, $\\tilde M = F_d(G(I^{LR}))$ (§3.4):

$$L_{heatmap} = \\frac{1}{r^2NWH} \\sum_{n=1}^{N} \\sum_{x,y} \\big(M^n_{x,y} - \\tilde M^n_{x,y}\\big)^2. \\qquad \\text{(Eq. 5)}$$

SR-NAM (paper 000, Eq. 7) proposes nearly the same quantity as an evaluation metric, summed over pixels and averaged over landmarks: $\\frac{1}{N}\\sum_n \\sum_{i,j} (\\hat M^n_{i,j} - M^n_{i,j})^2$.

Here everything runs at 64×64, the size at which paper 003 first applies Eq. 1 (its step 2); colour images add an average over the three channels. Below, PSNR ($10\\log_{10}(1/L_{pixel})$ for images in $[0,1]$) and SSIM (Wang et al. 2004, 11×11 Gaussian window, σ 1.5) complete the table.`
		},
		{
			kind: 'prose',
			id: 'nets-intro',
			markdown: `## Two landmark networks: a teacher and a distilled student

Paper 003 takes $M$ from the Face Alignment Network (FAN), then distils FAN into a compact network (§3.3, Table 1) that is faster and gives heatmaps "more suitable for face SR". FAN's weights cannot be fetched here, so the **teacher** is the 68-point landmark net that ships in the \`@vladmandic/face-api\` package; its points become heatmaps as Gaussians of width σ (a control below). The **student** is our own compact network, trained to predict those heatmaps directly from a 64×64 face (on CPU, from the teacher's points on the training faces, rendered with σ = 3 px: broader than the teacher's default 1.5 px here, area-like as §3.3 wanted for attention weights). Its card states its size and its NME against the teacher, $\\frac{1}{N}\\sum_k \\lVert g_k - p_k\\rVert_2 / d$ with $d$ the image size (§4.2).`
		},
		placeCell(heatmapModels, { id: 'models', title: 'Heatmap networks (teacher and student)' }),
		placeCell(proganModel, { id: 'progan', title: 'ProGAN face generator (for HR samples)' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own HR face' }),
		placeCell(hrFace, { id: 'hr', title: 'HR face', inputs: { model: 'progan', face: 'face' } }),
		{ kind: 'attn-hr', id: 'hrmaps', title: 'Landmarks of the HR face', inputs: { hr: 'hr', models: 'models' } },
		{
			kind: 'prose',
			id: 'sr-intro',
			markdown: `## The image to judge

Pick what plays $G(I^{LR})$: the classical baseline (bicubic 4× down to 16×16 and back up); the output of paper 003's own progressive network at any of its steps (§3.1; the HR face shrunk to 16×16, step 1's 32 px and step 3's 128 px resized to 64 px), from the weights trained with the attention loss or from their twin trained without it (see the Progressive growth notebook); or the HR face itself with a **perturbation** you choose — blur, noise, a shift of the content, or an erase to the region's mean colour — inside a region: a landmark group (discs of 3 px around its teacher points), the background (pixels outside the convex hull of the 68 points and at least 4 px from each), a mask you paint, or the whole face. The strength slider scales it.`
		},
		{ kind: 'attn-sr', id: 'sr', title: 'SR image (perturbation or bicubic)', params: srParams, inputs: { hrmaps: 'hrmaps', models: 'models' } },
		{
			kind: 'prose',
			id: 'loss-intro',
			markdown: `## Heatmaps, attention and the losses

For each landmark network: $M$ of the HR face and $\\tilde M$ of the SR image (the maximum over the landmarks you pick, so you can look at one landmark or one group), the attention map $M^*$ of Eq. 1, the attention-weighted error $M^* \\cdot |I^{HR} - SR|$ and the heatmap difference $\\sum_n (M^n - \\tilde M^n)^2$ of Eq. 5 — next to the plain error maps $|I^{HR} - SR|$ and $(I^{HR} - SR)^2$ that Eq. 2 and L1 sum. The table and charts recompute as you change anything; the landmark pick changes $M^*$ (and so $L_{attention}$), while Eq. 5 and Eq. 7 always use all 68 channels.

Things to try: blur the eyes and watch $L_{attention}$ and $L_{heatmap}$ jump while $L_{pixel}$ barely moves; then blur the background at a strength that gives the same $L_{pixel}$. Turn normalisation off to see why Eq. 1 min-max normalises $M$: raw student heatmaps differ in height from landmark to landmark. Widen σ and the attention spreads from the landmark points to the regions around them — the property §3.3 wanted from the distilled network.`
		},
		{ kind: 'attn-loss', id: 'loss', title: 'Heatmaps, loss maps and the numbers', params: lossParams, inputs: { hrmaps: 'hrmaps', sr: 'sr' } },
		{
			kind: 'prose',
			id: 'experiment-intro',
			markdown: `## The paper's argument, made visible: equal energy, eyes vs background

The same perturbation is applied twice: inside the eye discs, and inside an equal number of background pixels (outside the face outline, farthest from every landmark first), rescaled so that both change the image by exactly the same energy $\\sum (SR - I^{HR})^2$. $L_{pixel}$ and PSNR are then equal by construction (the background arm is not clipped to $[0, 1]$, so the energies stay exactly equal). Which losses still tell the two apart? $L_{attention}$ should, because $M^*$ is near 0 in the background; the heatmap losses should, if the damage moves what the landmark network sees. Bars show each measure relative to the larger of its two arms; the table gives the values and the ratio.`
		},
		{ kind: 'attn-experiment', id: 'experiment', title: 'Equal-energy experiment: eyes vs background', params: experimentParams, inputs: { hrmaps: 'hrmaps', models: 'models' } }
	]
};
