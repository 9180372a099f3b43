// Joint face SR + deblurring generator and its two discriminators (Yun & Park, paper 002 §3.2–3.3,
// Fig. 2) as pure functions of their weights, NHWC. Twin of train/joint_sr/model.py (weights from
// train/joint_sr/export.py, convs [kh, kw, in, out]); layout and names: the issue-15 contract.
//
// G: a five-layer CNN (×8 by three pixel shuffles) makes the feature image I_LRf; a shared
// stride-2 encoder (e1..e4) feeds two decoders: the upper one (u4..u1, uo) reconstructs the HR
// face WITH blur (Î_HRB) and leaves its last feature map I_f; the lower one (l4..l1) reconstructs
// the HR face WITHOUT blur from the encoder skips, I_LRf and I_f (lf, lo). The "noblur" ablation
// has no upper decoder (no u*, lf sees cat(b1, I_LRf)). D_g scores cat(I_LRf, image); D_l scores
// the face-region-masked image; both end in a per-location score map (LSGAN, no sigmoid).
// All convs are 3×3 with PyTorch's padding 1; stride-2 convs pad explicitly (stridedConv).

import * as tf from '@tensorflow/tfjs';
import { pixelShuffle } from './degrader';
import { stridedConv } from './srresnet';
import type { NamedWeights } from './weights';

export const JOINT_SR_SCALE = 8;
/** Each conv of the encoder and the discriminators halves the side: 128 → 8. */
const DOWN_STAGES = 4;

export interface JointSrOutputs {
	/** The five-layer CNN's 8× output I_LRf (tanh), [N, 8h, 8w, 3]. */
	feature: tf.Tensor4D;
	/** Upper decoder: the HR face with blur Î_HRB (tanh); null for weights without the blurred branch. */
	blurred: tf.Tensor4D | null;
	/** Lower decoder: the HR face without blur Î_HR (tanh). */
	sharp: tf.Tensor4D;
}

export interface JointSrInfo {
	/** Base width w of G (f1's output channels). */
	width: number;
	/** Whether G has the upper (blurred) decoder. */
	blurBranch: boolean;
	/** Whether the weights hold the local discriminator D_l (dl/...). */
	localD: boolean;
	/** Whether the weights hold the global discriminator D_g (dg/...). */
	globalD: boolean;
	/** Parameters of G alone (what runs at test time). */
	parameters: number;
}

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`joint-sr weights: missing tensor ${name} (are these the weights of another model?)`);
	return t;
}

/** Input channels of conv `name` (its [kh, kw, in, out] filter's third axis). */
const inChannels = (w: NamedWeights, name: string) => need(w, `${name}/w`).shape[2] as number;
const outChannels = (w: NamedWeights, name: string) => need(w, `${name}/w`).shape[3] as number;

/**
 * Architecture from the weight shapes; throws with the offending tensor when they are not a joint-SR
 * generator (e.g. an SRResNet's weights, or a lower decoder whose fusion conv does not match the branches).
 */
export function jointSrInfo(w: NamedWeights): JointSrInfo {
	const width = outChannels(w, 'g/f1');
	if (inChannels(w, 'g/f1') !== 3) throw new Error(`joint-sr weights: g/f1 takes ${inChannels(w, 'g/f1')} channels, expected 3`);
	for (const f of ['g/f2', 'g/f3', 'g/f4'])
		if (outChannels(w, f) !== 4 * width) throw new Error(`joint-sr weights: ${f} has ${outChannels(w, f)} outputs, expected 4·${width} (pixel shuffle ×2)`);
	if (outChannels(w, 'g/e4') !== 8 * width) throw new Error(`joint-sr weights: g/e4 has ${outChannels(w, 'g/e4')} outputs, expected 8·${width}`);
	const blurBranch = Boolean(w['g/uo/w']);
	const fused = inChannels(w, 'g/lf');
	const expected = blurBranch ? 2 * width + 3 : width + 3;
	if (fused !== expected)
		throw new Error(
			`joint-sr weights: g/lf takes ${fused} channels, expected ${expected} (${blurBranch ? 'cat(b1, I_LRf, I_f)' : 'cat(b1, I_LRf): no blurred branch'})`
		);
	need(w, 'g/lo/w');
	let parameters = 0;
	for (const [name, t] of Object.entries(w)) if (name.startsWith('g/')) parameters += t.size;
	return { width, blurBranch, localD: Boolean(w['dl/c1/w']), globalD: Boolean(w['dg/c1/w']), parameters };
}

const lrelu = (x: tf.Tensor4D) => tf.leakyRelu(x, 0.2) as tf.Tensor4D;
const up = (x: tf.Tensor4D) => tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]) as tf.Tensor4D;
const cat = (...xs: tf.Tensor4D[]) => tf.concat(xs, 3) as tf.Tensor4D;

/** One decoder (`prefix` u or l): relu(conv(up(·))) four times, skips e3, e2, e1 concatenated after the first three; returns the last map (I_f or b1, at 8× the LR side). */
function decoder(w: NamedWeights, prefix: 'g/u' | 'g/l', enc: tf.Tensor4D[]): tf.Tensor4D {
	const [e1, e2, e3, e4] = enc;
	let h = tf.relu(stridedConv(w, up(e4), `${prefix}4`)) as tf.Tensor4D;
	h = tf.relu(stridedConv(w, up(cat(h, e3)), `${prefix}3`)) as tf.Tensor4D;
	h = tf.relu(stridedConv(w, up(cat(h, e2)), `${prefix}2`)) as tf.Tensor4D;
	return tf.relu(stridedConv(w, up(cat(h, e1)), `${prefix}1`)) as tf.Tensor4D;
}

/**
 * lr [N, h, w, 3] in [-1, 1] (trained on 16×16: blurred faces ×1/8) → I_LRf, Î_HRB and Î_HR at
 * [N, 8h, 8w, 3] in [-1, 1]. h and w must be even (the encoder halves 8h four times). The caller
 * disposes the returned tensors.
 */
export function jointSr(weights: NamedWeights, lr: tf.Tensor4D): JointSrOutputs {
	if (lr.rank !== 4 || lr.shape[3] !== 3) throw new Error(`joint-sr: lr must be [N, h, w, 3], got [${lr.shape}]`);
	if (lr.shape[1] % 2 || lr.shape[2] % 2) throw new Error(`joint-sr: lr sides must be even (the encoder halves 8× them 4 times), got ${lr.shape[1]}×${lr.shape[2]}`);
	const { blurBranch } = jointSrInfo(weights);
	const out = tf.tidy(() => {
		let h = lrelu(stridedConv(weights, lr, 'g/f1'));
		for (const f of ['g/f2', 'g/f3', 'g/f4']) h = lrelu(pixelShuffle(stridedConv(weights, h, f), 2));
		const feature = tf.tanh(stridedConv(weights, h, 'g/f5')) as tf.Tensor4D;
		const enc: tf.Tensor4D[] = [];
		let e = feature;
		for (let i = 1; i <= DOWN_STAGES; i++) enc.push((e = lrelu(stridedConv(weights, e, `g/e${i}`, 2))));
		const b1 = decoder(weights, 'g/l', enc);
		let blurred: tf.Tensor4D | null = null;
		let fused: tf.Tensor4D;
		if (blurBranch) {
			const If = decoder(weights, 'g/u', enc);
			blurred = tf.tanh(stridedConv(weights, If, 'g/uo')) as tf.Tensor4D;
			fused = cat(b1, feature, If);
		} else fused = cat(b1, feature);
		const sharp = tf.tanh(stridedConv(weights, tf.relu(stridedConv(weights, fused, 'g/lf')) as tf.Tensor4D, 'g/lo')) as tf.Tensor4D;
		return blurred ? { feature, blurred, sharp } : { feature, sharp };
	}) as { feature: tf.Tensor4D; blurred?: tf.Tensor4D; sharp: tf.Tensor4D };
	return { feature: out.feature, blurred: out.blurred ?? null, sharp: out.sharp };
}

/** c1..c4 (stride 2, LeakyReLU 0.2) then `out` (stride 1): a score map of side/16 per side. */
function patchD(w: NamedWeights, prefix: 'dg' | 'dl', x: tf.Tensor4D): tf.Tensor4D {
	return tf.tidy(() => {
		let h = x;
		for (let i = 1; i <= DOWN_STAGES; i++) h = lrelu(stridedConv(w, h, `${prefix}/c${i}`, 2));
		return stridedConv(w, h, `${prefix}/out`);
	});
}

function checkImage(what: string, x: tf.Tensor4D) {
	if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`${what} must be [N, h, w, 3], got [${x.shape}]`);
	if (x.shape[1] % 16 || x.shape[2] % 16) throw new Error(`${what} sides must be multiples of 16 (four stride-2 convs), got ${x.shape[1]}×${x.shape[2]}`);
}

/**
 * D_g (Eq. 1): the score map [N, h/16, w/16, 1] of cat(I_LRf, image) — I_LRf is the condition,
 * image is I_HR (real) or Î_HR (fake). D_g(x) in Eq. 1 is the map's mean.
 */
export function globalDiscriminator(weights: NamedWeights, feature: tf.Tensor4D, image: tf.Tensor4D): tf.Tensor4D {
	checkImage('joint-sr D_g: feature', feature);
	checkImage('joint-sr D_g: image', image);
	if (feature.shape.some((s, i) => s !== image.shape[i])) throw new Error(`joint-sr D_g: feature [${feature.shape}] and image [${image.shape}] differ in shape`);
	if (!weights['dg/c1/w']) throw new Error('joint-sr D_g: these weights hold no global discriminator (dg/...)');
	if (inChannels(weights, 'dg/c1') !== 6) throw new Error(`joint-sr D_g: dg/c1 takes ${inChannels(weights, 'dg/c1')} channels, expected 6 (I_LRf and the image)`);
	return tf.tidy(() => patchD(weights, 'dg', cat(feature, image)));
}

/**
 * D_l (Eq. 2): the score map [N, h/16, w/16, 1] of a face-region-masked image M ⊙ I (background 0).
 * Throws for weights without a local discriminator (the joint-sr-nolocal ablation).
 */
export function localDiscriminator(weights: NamedWeights, masked: tf.Tensor4D): tf.Tensor4D {
	checkImage('joint-sr D_l: masked image', masked);
	if (!weights['dl/c1/w']) throw new Error('joint-sr D_l: these weights hold no local discriminator (dl/...): the model was trained without one');
	return patchD(weights, 'dl', masked);
}
