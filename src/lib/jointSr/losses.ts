// Every term of paper 002's objective (Eq. 1–6) for one face and one model, as numbers, from the
// nets' outputs, the face-region mask and the ground truth (issue-15 contract; train/joint_sr/train.py
// is the training twin). Images NHWC in [-1, 1]. The discriminators give a score map (one score per
// 16-px patch); D(x) is the map's mean, and the least-squares terms square it, as in training
// (train/joint_sr/model.py: PatchD.forward is the map mean, lsgan_d / lsgan_g square that).
//
// Which player each number belongs to (Eq. 6 is a min over G and a max over D; in the LSGAN form the
// discriminators *minimise* the least-squares terms of Eq. 1–2 and the generator minimises their
// other side):
// - discriminator side: Eq. 1 (D_g), Eq. 2 (D_l), Eq. 3 = their sum — what D_g and D_l drive down;
// - generator side: the adversarial term (D_g(fake) − 1)² + (D_l(fake) − 1)², Eq. 4 (pixel), Eq. 5
//   (perceptual), and `eq6.generator` = adversarial + λ1·Eq. 4 + λ2·Eq. 5 — what G drives down;
// - `eq6.asWritten` = Eq. 3 + λ1·Eq. 4 + λ2·Eq. 5, the paper's sum with its D-side adversarial term.

import * as tf from '@tensorflow/tfjs';
import { faceNetFeatures, type FaceNetLayer, type FaceNetWeights } from '../eval/faceNet';
import { globalDiscriminator, localDiscriminator, type JointSrOutputs } from '../../models/jointSr';
import type { NamedWeights } from '../../models/weights';

export interface PerceptualSpace {
	layers: readonly FaceNetLayer[];
	/** Features are multiplied by this before the distance (as in training). */
	scale: number;
	/** Side the faces are resized to (bilinear, half-pixel centres) before the face net; absent: as they are. */
	px?: number;
}

export interface LossInputs {
	/** The model's weights: G, D_g (dg/...) and, where trained, D_l (dl/...). */
	weights: NamedWeights;
	/** jointSr(weights, lr) for this face (not disposed here). */
	outputs: JointSrOutputs;
	/** I_HR, the sharp ground truth, [1, 128, 128, 3]. */
	hr: tf.Tensor4D;
	/** I_HRB, the blurred ground truth, [1, 128, 128, 3]. */
	blurredHr: tf.Tensor4D;
	/** M_face, 128·128 row-major 0/1 (faceMask.ts). */
	mask: Float32Array;
	faceNet: FaceNetWeights;
	perceptual: PerceptualSpace;
	lambda1: number;
	lambda2: number;
}

/** One least-squares GAN equation: the mean scores and both terms. */
export interface LsganTerms {
	/** D(real): mean of the real image's score map. */
	real: number;
	/** D(fake): mean of Î_HR's score map. */
	fake: number;
	/** (D(real) − 1)², D(real) the map's mean. */
	realTerm: number;
	/** D(fake)², D(fake) the map's mean. */
	fakeTerm: number;
	/** realTerm + fakeTerm: the equation's value (discriminator side). */
	value: number;
}

export interface JointSrLosses {
	/** Eq. 1, L_GAN(G, D_g): D_g on cat(I_LRf, I_HR) vs cat(I_LRf, Î_HR). */
	eq1: LsganTerms;
	/** Eq. 2, L_GAN(G, D_l): D_l on M ⊙ I_HR vs M ⊙ Î_HR; null for a model trained without D_l. */
	eq2: LsganTerms | null;
	/** Eq. 3 = Eq. 1 + Eq. 2 (Eq. 1 alone without D_l). */
	eq3: number;
	/** Generator side of the adversarial loss: (D_g(fake) − 1)² + (D_l(fake) − 1)². */
	generatorAdversarial: { global: number; local: number | null; total: number };
	/** Eq. 4: mean |I_m − Î_m| + mean |I_HR − Î_HR| + mean |I_HRB − Î_HRB| (the last null without the blurred branch). */
	eq4: { masked: number; sharp: number; blurred: number | null; total: number };
	/** Eq. 5: per face-net layer mean |s·f_i(Î_HR) − s·f_i(I_HR)|, and their sum. */
	eq5: { layers: { layer: FaceNetLayer; value: number }[]; total: number };
	lambda1: number;
	lambda2: number;
	/** Eq. 6 with λ1, λ2: G's objective (generator side) and the paper's sum as written (D-side adversarial term). */
	eq6: { generator: number; asWritten: number };
}

function check(what: string, t: tf.Tensor4D, like: tf.Tensor4D) {
	if (t.shape.some((s, i) => s !== like.shape[i])) throw new Error(`joint-SR losses: ${what} is [${t.shape}], expected [${like.shape}]`);
}

/** D(real), D(fake) (map means) → the equation's terms. */
const lsgan = (real: number, fake: number): LsganTerms => {
	const realTerm = (real - 1) ** 2;
	const fakeTerm = fake ** 2;
	return { real, fake, realTerm, fakeTerm, value: realTerm + fakeTerm };
};

/** Every term of Eq. 1–6 for one face (tensors read back once). */
export async function jointSrLosses(inp: LossInputs): Promise<JointSrLosses> {
	const { weights, outputs, hr, blurredHr, mask, faceNet, perceptual, lambda1, lambda2 } = inp;
	const { feature, blurred, sharp } = outputs;
	check('Î_HR', sharp, hr);
	check('I_HRB', blurredHr, hr);
	if (blurred) check('Î_HRB', blurred, hr);
	const [, H, W] = hr.shape;
	if (mask.length !== H * W) throw new Error(`joint-SR losses: mask has ${mask.length} values, expected ${H}·${W}`);
	const hasLocal = Boolean(weights['dl/c1/w']);
	const layers = [...perceptual.layers];
	if (!layers.length) throw new Error('joint-SR losses: no face-net layers for Eq. 5');
	const scalars = tf.tidy(() => {
		const m = tf.tensor4d(mask, [1, H, W, 1]);
		const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b)));
		const maskedHr = tf.mul(hr, m) as tf.Tensor4D;
		const maskedSr = tf.mul(sharp, m) as tf.Tensor4D;
		const out: tf.Tensor[] = [
			tf.mean(globalDiscriminator(weights, feature, hr)),
			tf.mean(globalDiscriminator(weights, feature, sharp)),
			hasLocal ? tf.mean(localDiscriminator(weights, maskedHr)) : tf.scalar(NaN),
			hasLocal ? tf.mean(localDiscriminator(weights, maskedSr)) : tf.scalar(NaN),
			l1(maskedHr, maskedSr),
			l1(hr, sharp),
			blurred ? l1(blurredHr, blurred) : tf.scalar(NaN)
		];
		const px = perceptual.px;
		const resized = (x: tf.Tensor4D) => (px && (px !== H || px !== W) ? (tf.image.resizeBilinear(x, [px, px], false, true) as tf.Tensor4D) : x);
		const feat = (x: tf.Tensor4D) => faceNetFeatures(faceNet, resized(x), layers);
		const fSr = feat(sharp);
		const fHr = feat(hr);
		for (const l of layers) out.push(tf.mul(l1(fSr[l]!, fHr[l]!), perceptual.scale));
		return tf.stack(out);
	});
	let v: Float32Array;
	try {
		v = (await scalars.data()) as Float32Array;
	} finally {
		scalars.dispose();
	}
	const [dgReal, dgFake, dlReal, dlFake, masked, sharpL1, blurredL1] = Array.from(v.subarray(0, 7));
	const eq1 = lsgan(dgReal, dgFake);
	const eq2 = hasLocal ? lsgan(dlReal, dlFake) : null;
	const gGlobal = (dgFake - 1) ** 2;
	const gLocal = hasLocal ? (dlFake - 1) ** 2 : null;
	const generatorAdversarial = { global: gGlobal, local: gLocal, total: gGlobal + (gLocal ?? 0) };
	const eq4 = { masked, sharp: sharpL1, blurred: blurred ? blurredL1 : null, total: masked + sharpL1 + (blurred ? blurredL1 : 0) };
	const perLayer = layers.map((layer, i) => ({ layer, value: v[7 + i] }));
	const eq5 = { layers: perLayer, total: perLayer.reduce((s, l) => s + l.value, 0) };
	const eq3 = eq1.value + (eq2?.value ?? 0);
	const rest = lambda1 * eq4.total + lambda2 * eq5.total;
	return { eq1, eq2, eq3, generatorAdversarial, eq4, eq5, lambda1, lambda2, eq6: { generator: generatorAdversarial.total + rest, asWritten: eq3 + rest } };
}
