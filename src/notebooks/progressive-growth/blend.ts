// The fade-in blend on CPU arrays, shared by the ProGAN and progressive-SR fade cells
// (Karras et al. 2018 §2, Fig. 2; paper 003 §3.1):
//     out = (1 − α) · up2(old head) + α · new head,  up2 = nearest-neighbour ×2
// Both terms are heads the upstream cell already computed, so moving α costs no GPU work.

/** Nearest-neighbour ×2 of an HWC RGB array (floor(dst / 2) sampling, as the networks' up2). */
export function upsample2(src: Float32Array, size: number): Float32Array {
	const n = size * 2;
	const out = new Float32Array(n * n * 3);
	for (let y = 0; y < n; y++)
		for (let x = 0; x < n; x++) {
			const s = ((y >> 1) * size + (x >> 1)) * 3;
			const d = (y * n + x) * 3;
			out[d] = src[s];
			out[d + 1] = src[s + 1];
			out[d + 2] = src[s + 2];
		}
	return out;
}

/** out = (1 − α)·low + α·high, elementwise. */
export function blend(low: Float32Array, high: Float32Array, alpha: number): Float32Array {
	const out = new Float32Array(low.length);
	for (let i = 0; i < low.length; i++) out[i] = (1 - alpha) * low[i] + alpha * high[i];
	return out;
}
