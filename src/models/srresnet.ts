// SRResNet generator and the SRGAN discriminator's logit map (Ledig et al. CVPR 2017, paper 004
// §2.1, Fig. 4) as pure functions of their weights, NHWC. Twin of srresnet_forward /
// discriminator_logit_map in train/srgan/export.py (weights from there: batch norm folded into
// the conv before it, PReLU slopes per channel, convs [kh, kw, in, out]). One generator code runs
// the three shipped nets: srresnet-mse (Eq. 4), srresnet-content (Eq. 5) and srgan (Eq. 3); the
// srgan folder also holds D (`d/...`).
//
// Padding: PyTorch pads k//2 on every side. tf's 'same' does the same for stride 1 and odd k, but
// for stride 2 it pads only the bottom/right on an even input, so D's stride-2 convs pad 1 on
// every side explicitly and then run 'valid'.

import * as tf from '@tensorflow/tfjs';
import { pixelShuffle } from './degrader';
import type { NamedWeights } from './weights';

export const SRRESNET_SCALE = 4;
/** D's strides after its first conv (train/srgan/model.py D_STRIDES). */
export const D_STRIDES = [2, 1, 2, 1, 2, 1, 2] as const;

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`srresnet weights: missing tensor ${name}`);
	return t;
}

/** Conv `name` with PyTorch's padding (k//2 on every side) at any stride. */
export function stridedConv(w: NamedWeights, x: tf.Tensor4D, name: string, stride = 1): tf.Tensor4D {
	const k = need(w, `${name}/w`) as tf.Tensor4D;
	if (stride === 1) return tf.add(tf.conv2d(x, k, 1, 'same'), need(w, `${name}/b`)) as tf.Tensor4D;
	const p = Math.floor(k.shape[0] / 2);
	const padded = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
	return tf.add(tf.conv2d(padded, k, stride, 'valid'), need(w, `${name}/b`)) as tf.Tensor4D;
}

const prelu = (w: NamedWeights, x: tf.Tensor4D, name: string) => tf.prelu(x, need(w, name)) as tf.Tensor4D;

export function countResBlocks(w: NamedWeights): number {
	let n = 0;
	while (w[`g/b${n + 1}/conv1/w`]) n++;
	return n;
}

export interface SrresnetInfo {
	width: number;
	blocks: number;
	/** Whether the weights hold the discriminator too (the srgan folder). */
	hasDiscriminator: boolean;
	parameters: number;
}

/** Width, block count and parameter count from the weight shapes; throws on weights that are not an SRResNet. */
export function srresnetInfo(w: NamedWeights): SrresnetInfo {
	const head = need(w, 'g/head/w');
	need(w, 'g/tail/w');
	need(w, 'g/up2/w');
	let parameters = 0;
	for (const [name, t] of Object.entries(w)) if (name.startsWith('g/')) parameters += t.size;
	return { width: head.shape[3] as number, blocks: countResBlocks(w), hasDiscriminator: Boolean(w['d/first/w']), parameters };
}

/**
 * lr [N,h,w,3] NHWC in [-1,1] -> [N,4h,4w,3] in [-1,1] (tanh). Fully convolutional; the nets
 * were trained on 16×16 -> 64×64 faces.
 */
export function srresnet(weights: NamedWeights, lr: tf.Tensor4D): tf.Tensor4D {
	if (lr.rank !== 4 || lr.shape[3] !== 3) throw new Error(`srresnet: lr must be [N, h, w, 3], got [${lr.shape}]`);
	need(weights, 'g/head/w');
	return tf.tidy(() => {
		const h0 = prelu(weights, stridedConv(weights, lr, 'g/head'), 'g/head/alpha');
		let t = h0;
		const nb = countResBlocks(weights);
		for (let i = 1; i <= nb; i++) {
			const r = stridedConv(weights, prelu(weights, stridedConv(weights, t, `g/b${i}/conv1`), `g/b${i}/alpha`), `g/b${i}/conv2`);
			t = tf.add(t, r) as tf.Tensor4D;
		}
		let h = tf.add(h0, stridedConv(weights, t, 'g/body')) as tf.Tensor4D;
		for (const i of [1, 2]) h = prelu(weights, pixelShuffle(stridedConv(weights, h, `g/up${i}`), 2), `g/up${i}/alpha`);
		return tf.tanh(stridedConv(weights, h, 'g/tail')) as tf.Tensor4D;
	});
}

/**
 * x [N,64,64,3] in [-1,1] -> D's logits [N,4,4,1] (one per 16-px stride location; their mean is
 * the image's logit, sigmoid of it D's probability that the face is a real HR face, Eq. 2).
 */
export function discriminatorLogitMap(weights: NamedWeights, x: tf.Tensor4D): tf.Tensor4D {
	if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`srgan discriminator: x must be [N, h, w, 3], got [${x.shape}]`);
	if (!weights['d/first/w']) throw new Error('srgan discriminator: these weights hold no discriminator (only the srgan folder does)');
	return tf.tidy(() => {
		let h = tf.leakyRelu(stridedConv(weights, x, 'd/first'), 0.2) as tf.Tensor4D;
		D_STRIDES.forEach((s, k) => {
			h = tf.leakyRelu(stridedConv(weights, h, `d/c${k + 1}`, s), 0.2) as tf.Tensor4D;
		});
		return stridedConv(weights, tf.leakyRelu(stridedConv(weights, h, 'd/dense1'), 0.2) as tf.Tensor4D, 'd/dense2');
	});
}
