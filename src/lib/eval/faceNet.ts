// face-api's face-recognition network as a pure function of its weights, on any tfjs backend:
// a feature space for a content loss (paper 004, SRGAN, Eq. 5 uses VGG-19; VGG-19 is not
// available offline, so srlab uses this identity net instead) and the 128-D descriptors of the
// FID-proxy (src/lib/eval/faceFeatures.ts runs face-api's own copy in Node). The PyTorch twin is
// train/common/face_net.py; both are checked against face-api on the same synthetic faces
// (test/fixtures/face-net-descriptors.json).
//
// Architecture (face-api src/faceRecognitionNet/): a dlib-style ResNet-34. Input 0..255 RGB minus
// the mean RGB, / 255; a 7×7 stride-2 'valid' conv + ReLU, 3×3 stride-2 max-pool; residual blocks
// of two 3×3 convs, each conv followed by a per-channel affine "scale" layer (folded into the conv
// here: w·s, b·s + c); '*_down' blocks convolve at stride 2 'valid', add a 2×2 average pool of the
// input zero-padded in channels, and pad the conv branch with a zero row/column at the
// bottom/right when it is one smaller than the pool. Descriptor: spatial mean of the last map × fc.

import * as tf from '@tensorflow/tfjs';
import { loadFaceApiWeights } from '../../models/vendorWeights';

export const FACE_NET_LAYERS = ['conv32', 'conv64', 'conv128', 'conv256', 'conv256_out'] as const;
export type FaceNetLayer = (typeof FACE_NET_LAYERS)[number];
/** Channels of each layer's activation map. */
export const FACE_NET_CHANNELS: Record<FaceNetLayer, number> = { conv32: 32, conv64: 64, conv128: 128, conv256: 256, conv256_out: 256 };
/** face-api resizes every face to this square before its recognition net. */
export const FACE_NET_SIDE = 150;
export const FACE_NET_DESCRIPTOR_DIM = 128;
const MEAN_RGB = [122.782, 117.001, 104.298];

/** Residual blocks of each stage, in forward order; `true` marks a downsampling block. */
const STAGES: readonly (readonly [FaceNetLayer, readonly (readonly [string, boolean])[]])[] = [
	['conv32', [['conv32_1', false], ['conv32_2', false], ['conv32_3', false]]],
	['conv64', [['conv64_down', true], ['conv64_1', false], ['conv64_2', false], ['conv64_3', false]]],
	['conv128', [['conv128_down', true], ['conv128_1', false], ['conv128_2', false]]],
	['conv256', [['conv256_down', true], ['conv256_1', false], ['conv256_2', false]]],
	['conv256_out', [['conv256_down_out', true]]]
];

/** A conv with its bias and scale layer folded in (HWIO filter, per-output-channel bias). */
export interface FoldedConv {
	filter: tf.Tensor4D;
	bias: tf.Tensor1D;
}
export interface FaceNetWeights {
	stem: FoldedConv;
	/** Residual blocks by face-api name ('conv64_down', ...). */
	blocks: Record<string, { conv1: FoldedConv; conv2: FoldedConv }>;
	/** [256, 128] */
	fc: tf.Tensor2D;
}

/** Fold face-api's weight map (names as in its manifest) into FaceNetWeights; the map is left as is. */
export function faceNetFromWeightMap(map: tf.NamedTensorMap): FaceNetWeights {
	const get = (name: string) => {
		const t = map[name];
		if (!t) throw new Error(`face recognition net weights: missing tensor ${name}`);
		return t;
	};
	const fold = (prefix: string): FoldedConv =>
		tf.tidy(() => {
			const s = get(`${prefix}/scale/weights`);
			return {
				filter: tf.mul(get(`${prefix}/conv/filters`), s) as tf.Tensor4D,
				bias: tf.add(tf.mul(get(`${prefix}/conv/bias`), s), get(`${prefix}/scale/biases`)) as tf.Tensor1D
			};
		});
	const blocks: FaceNetWeights['blocks'] = {};
	for (const [, stage] of STAGES) for (const [name] of stage) blocks[name] = { conv1: fold(`${name}/conv1`), conv2: fold(`${name}/conv2`) };
	const fc = get('fc');
	if (fc.rank !== 2 || fc.shape[1] !== FACE_NET_DESCRIPTOR_DIM) throw new Error(`face recognition net weights: fc has shape [${fc.shape}]`);
	return { stem: fold('conv32_down'), blocks, fc: tf.clone(fc) as tf.Tensor2D };
}

/**
 * Fetch face-api's recognition weights (size + sha256 checked, vendorWeights.ts) from `base`
 * (the app serves them at /vendor/face-api; tests pass a fetch reading node_modules) and fold them.
 */
export async function loadFaceNetWeights(base = '/vendor/face-api', fetchFn?: typeof fetch): Promise<FaceNetWeights> {
	const map = await loadFaceApiWeights('face_recognition_model', base, fetchFn);
	try {
		return faceNetFromWeightMap(map);
	} finally {
		tf.dispose(Object.values(map));
	}
}

// The weights once per tfjs backend instance, shared by every cell that needs them (a
// re-initialised WebGPU device is a new instance and loads afresh; a failed load is retried).
const perBackend = new WeakMap<object, Promise<FaceNetWeights>>();

/** The face-recognition net's weights for the current tfjs backend, loaded on first use. */
export function faceNetForBackend(): Promise<FaceNetWeights> {
	const key = tf.backend() as object;
	let p = perBackend.get(key);
	if (!p) {
		p = loadFaceNetWeights();
		perBackend.set(key, p);
		p.catch(() => perBackend.delete(key));
	}
	return p;
}

export function disposeFaceNetWeights(w: FaceNetWeights): void {
	tf.dispose([w.stem.filter, w.stem.bias, w.fc]);
	for (const b of Object.values(w.blocks)) tf.dispose([b.conv1.filter, b.conv1.bias, b.conv2.filter, b.conv2.bias]);
}

/** Side of `layer`'s map for a side×side input; 0 when the input is too small for it. */
export function faceNetFeatureSize(side: number, layer: FaceNetLayer): number {
	let s = side >= 7 ? Math.floor((side - 7) / 2) + 1 : 0;
	s = s >= 3 ? Math.floor((s - 3) / 2) + 1 : 0;
	for (const [name, stage] of STAGES) {
		if (stage.some(([, down]) => down)) s = s >= 3 ? Math.floor(s / 2) : 0;
		if (name === layer) return s;
	}
	throw new Error(`unknown face net layer ${layer}`);
}

// Not tf.fused.conv2d: its gradient computes the filter's gradient too, a kernel the wasm backend
// lacks (Conv2DBackpropFilter), so ∂/∂x of a content loss would fail there.
function conv(x: tf.Tensor4D, c: FoldedConv, stride: 1 | 2, relu: boolean): tf.Tensor4D {
	const y = tf.add(tf.conv2d(x, c.filter, stride, stride === 1 ? 'same' : 'valid'), c.bias) as tf.Tensor4D;
	return relu ? tf.relu(y) : y;
}

function residual(x: tf.Tensor4D, b: FaceNetWeights['blocks'][string], down: boolean): tf.Tensor4D {
	let out = conv(conv(x, b.conv1, down ? 2 : 1, true), b.conv2, 1, false);
	if (!down) return tf.relu(tf.add(out, x)) as tf.Tensor4D;
	let pooled = tf.avgPool(x, 2, 2, 'valid');
	const [dh, dw] = [pooled.shape[1] - out.shape[1], pooled.shape[2] - out.shape[2]];
	if (dh || dw) out = tf.pad(out, [[0, 0], [0, dh], [0, dw], [0, 0]]);
	const dc = out.shape[3] - pooled.shape[3];
	if (dc) pooled = tf.pad(pooled, [[0, 0], [0, 0], [0, 0], [0, dc]]);
	return tf.relu(tf.add(out, pooled)) as tf.Tensor4D;
}

/** [0, 1] RGB → the stage maps in `wanted`, stopping after the deepest. */
function trunk(w: FaceNetWeights, x01: tf.Tensor4D, wanted: readonly FaceNetLayer[]): Partial<Record<FaceNetLayer, tf.Tensor4D>> {
	const deepest = Math.max(...wanted.map((l) => FACE_NET_LAYERS.indexOf(l)));
	let out = tf.sub(x01, tf.tensor1d(MEAN_RGB.map((m) => m / 255))) as tf.Tensor4D;
	out = tf.maxPool(conv(out, w.stem, 2, true), 3, 2, 'valid');
	const maps: Partial<Record<FaceNetLayer, tf.Tensor4D>> = {};
	for (const [name, stage] of STAGES.slice(0, deepest + 1)) {
		for (const [block, down] of stage) out = residual(out, w.blocks[block], down);
		if (wanted.includes(name)) maps[name] = out;
	}
	return maps;
}

/**
 * Activation maps (NHWC, each stage's last block after its ReLU) of x: NHWC RGB in [-1, 1] of any
 * size ≥ what the deepest layer needs (faceNetFeatureSize > 0); no 150 px resize, so a 64×64 SR
 * output and its HR compare cheaply. Map sides for 64 px: 14, 7, 3, 1 (conv32..conv256); for
 * 128 px: 30, 15, 7, 3, 1. Differentiable with respect to x (tf.grad).
 */
export function faceNetFeatures(w: FaceNetWeights, x: tf.Tensor4D, layers: readonly FaceNetLayer[] = ['conv64']): Partial<Record<FaceNetLayer, tf.Tensor4D>> {
	if (!layers.length) throw new Error('faceNetFeatures: no layers asked for');
	for (const l of layers) {
		if (!FACE_NET_LAYERS.includes(l)) throw new Error(`unknown face net layer ${l}; layers: ${FACE_NET_LAYERS.join(', ')}`);
		if (faceNetFeatureSize(Math.min(x.shape[1], x.shape[2]), l) < 1) throw new Error(`a ${x.shape[1]}×${x.shape[2]} input is too small for face net layer ${l}`);
	}
	return tf.tidy(() => trunk(w, tf.div(tf.add(x, 1), 2) as tf.Tensor4D, layers) as tf.NamedTensorMap) as Partial<Record<FaceNetLayer, tf.Tensor4D>>;
}

/**
 * [-1, 1] NHWC of any size → 150×150 in 0..255, as face-api's NetInput.toBatchTensor(150, true):
 * pad the short side with zeros (black), centred with the odd pixel after (Math.round), then
 * tf.image.resizeBilinear without align-corners or half-pixel centres.
 */
export function toFaceNetInput(x: tf.Tensor4D): tf.Tensor4D {
	return tf.tidy(() => {
		let t = tf.mul(tf.add(x, 1), 127.5) as tf.Tensor4D;
		const [h, w] = [t.shape[1], t.shape[2]];
		if (h !== w) {
			const after = Math.round(Math.abs(h - w) * 0.5);
			const before = Math.abs(h - w) - after;
			t = tf.pad(t, h > w ? [[0, 0], [0, 0], [before, after], [0, 0]] : [[0, 0], [before, after], [0, 0], [0, 0]]);
		}
		const side = Math.max(h, w);
		return side === FACE_NET_SIDE ? t : tf.image.resizeBilinear(t, [FACE_NET_SIDE, FACE_NET_SIDE], false, false);
	});
}

/**
 * [N, 128] face-api descriptors of face crops x (NHWC RGB in [-1, 1], any size), the FID-proxy's
 * features: the same numbers as face-api's computeFaceDescriptor (no detection or alignment).
 * Non-square inputs are padded as face-api pads them; faceFeatures.ts (the FID-proxy in Node)
 * stretches them instead, so the two agree on square crops only.
 */
export function faceNetDescriptor(w: FaceNetWeights, x: tf.Tensor4D): tf.Tensor2D {
	return tf.tidy(() => {
		const last = trunk(w, tf.div(toFaceNetInput(x), 255) as tf.Tensor4D, ['conv256_out']).conv256_out!;
		return tf.matMul(tf.mean(last, [1, 2]) as tf.Tensor2D, w.fc);
	});
}
