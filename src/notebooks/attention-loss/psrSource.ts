// The progressive-SR network (paper 003 §3.1, static/weights/progressive-sr[-noatt], trained by
// train/progressive_sr/) as a source of the SR image the attention-loss explorer judges: the HR
// face → 16×16 (PIL-style bilinear, as its training LR was made) → the network → the output of
// step 1 (32 px, bicubic ↑ to 64), 2 (64 px) or 3 (128 px, area ↓ to 64), so every option is
// judged on the same 64×64 grid as the HR face. Weights through the one loader (loadModel).

import type { CellContext } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { downsampleArea } from '$lib/image/rgb';
import { resizeImage } from '$lib/heatmaps/perturb';
import { loadModel, type Model } from '$models/catalog';
import type { LoadContext } from '$models/load';
import { superResolveImage, type PsrVariant } from '$models/progressiveSr';

export type PsrStepChoice = 1 | 2 | 3;

type PsrLoader = (variant: PsrVariant, ctx: LoadContext) => Promise<Model<PsrVariant>>;
type SrContext = Pick<CellContext, 'signal' | 'gpu'>;

const clamp01 = (img: RGBImage) => img.data.forEach((v, i) => (img.data[i] = Math.min(1, Math.max(0, v))));

/** The 64×64 SR image of `hr64` from the chosen step of the chosen weights (tests pass a loader). */
export function makeProgressiveSr(load: PsrLoader = loadModel) {
	return async (ctx: SrContext, hr64: RGBImage, step: PsrStepChoice, variant: PsrVariant): Promise<{ sr: RGBImage; label: string }> => {
		const model = await load(variant, { signal: ctx.signal });
		const lr = resizeImage(hr64, 16, 16, 'bilinear');
		clamp01(lr);
		const { images } = await superResolveImage(model.weights, lr, (t) => ctx.gpu(t));
		const out = images[step - 1];
		const sr = step === 1 ? resizeImage(out, 64, 64, 'bicubic') : step === 3 ? downsampleArea(out, 2) : out;
		clamp01(sr);
		const px = [32, 64, 128][step - 1];
		const how = step === 1 ? ', bicubic ↑ to 64' : step === 3 ? ', area ↓ to 64' : '';
		return { sr, label: `progressive SR ${variant === 'progressive-sr' ? 'with' : 'without'} attention loss, step ${step} (${px} px${how}) from 16×16` };
	};
}

export const progressiveSr = makeProgressiveSr();
