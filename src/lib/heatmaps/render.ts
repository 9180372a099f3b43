// Landmark heatmaps M (paper 003 §3.2–3.3) rendered from points, and the attention map M*.
//
// M has N = 68 channels of size×size; channel n is an unnormalised Gaussian
//   M^n(x, y) = exp(−((x − p_x)² + (y − p_y)²) / (2σ²)),
// evaluated at pixel centres (x + 0.5, y + 0.5) — the same continuous coordinates face-api reports.
// Peak value 1 at a landmark that sits on a pixel centre. σ is given in pixels of the rendered map.

/** Default σ in pixels at 128×128 (scale it with the map: 1.5 px at 64×64). Wide enough that the
 *  attention of Eq. 1 covers the area around a landmark (eye lids, lip edges), not just its point. */
export const DEFAULT_SIGMA_128 = 3;

/** σ for a map of `size` pixels from a σ given at 128×128. */
export function sigmaAt(size: number, sigma128 = DEFAULT_SIGMA_128): number {
	return (sigma128 * size) / 128;
}

/**
 * Render heatmaps, channel-major [N, size, size] float32. `points` are x,y interleaved in pixels of
 * the same size×size image. A Gaussian is cut at 4σ (values below e^-8 ≈ 3e-4 are left at 0).
 */
export function renderHeatmaps(points: ArrayLike<number>, size: number, sigma: number): Float32Array {
	if (!(sigma > 0)) throw new RangeError(`sigma must be > 0, got ${sigma}`);
	const n = points.length / 2;
	const plane = size * size;
	const out = new Float32Array(n * plane);
	const r = Math.ceil(4 * sigma);
	const k = 1 / (2 * sigma * sigma);
	for (let c = 0; c < n; c++) {
		const px = points[2 * c];
		const py = points[2 * c + 1];
		if (!Number.isFinite(px) || !Number.isFinite(py)) continue;
		const x0 = Math.max(0, Math.floor(px - r)), x1 = Math.min(size - 1, Math.ceil(px + r));
		const y0 = Math.max(0, Math.floor(py - r)), y1 = Math.min(size - 1, Math.ceil(py + r));
		for (let y = y0; y <= y1; y++) {
			const dy = y + 0.5 - py;
			for (let x = x0; x <= x1; x++) {
				const dx = x + 0.5 - px;
				out[c * plane + y * size + x] = Math.exp(-(dx * dx + dy * dy) * k);
			}
		}
	}
	return out;
}

export interface AttentionOptions {
	/** Channels to take the max over (default: all). Picks a landmark or a group. */
	channels?: readonly number[];
	/** Min-max normalise into [0, 1] (paper 003 Eq. 1's M*); false keeps raw heatmap values. */
	normalise?: boolean;
}

/**
 * Attention map M* of paper 003 Eq. 1: the channel-wise max of M, min-max normalised into [0, 1].
 * `heatmaps` is [N, H, W] channel-major; returns [H, W]. A constant map normalises to all zeros.
 */
export function attentionMap(heatmaps: Float32Array, n: number, opts: AttentionOptions = {}): Float32Array {
	const plane = heatmaps.length / n;
	if (!Number.isInteger(plane)) throw new RangeError(`${heatmaps.length} values are not ${n} equal channels`);
	const channels = opts.channels ?? Array.from({ length: n }, (_, i) => i);
	const out = new Float32Array(plane).fill(channels.length ? -Infinity : 0);
	for (const c of channels) {
		if (c < 0 || c >= n) throw new RangeError(`channel ${c} is outside 0..${n - 1}`);
		const base = c * plane;
		for (let i = 0; i < plane; i++) if (heatmaps[base + i] > out[i]) out[i] = heatmaps[base + i];
	}
	return opts.normalise === false ? out : minMaxNormalise(out);
}

/** Each of the n channels min-max normalised into [0, 1] on its own (paper 003 §3.2: "to
 *  compensate for the variance between the landmarks"). Returns a new array. */
export function normaliseChannels(heatmaps: Float32Array, n: number): Float32Array {
	const plane = heatmaps.length / n;
	const out = new Float32Array(heatmaps.length);
	for (let c = 0; c < n; c++) out.set(minMaxNormalise(heatmaps.subarray(c * plane, (c + 1) * plane)), c * plane);
	return out;
}

/** (v − min) / (max − min) into a new array; all zeros when max = min. */
export function minMaxNormalise(v: Float32Array): Float32Array {
	let lo = Infinity, hi = -Infinity;
	for (const x of v) {
		if (x < lo) lo = x;
		if (x > hi) hi = x;
	}
	const out = new Float32Array(v.length);
	const span = hi - lo;
	if (span > 0) for (let i = 0; i < v.length; i++) out[i] = (v[i] - lo) / span;
	return out;
}

/** Landmark positions back from heatmaps: per channel, the argmax pixel refined by a parabola
 *  through the log of its neighbours along x and y (exact for a Gaussian). x,y interleaved. */
export function heatmapsToPoints(heatmaps: Float32Array, n: number, size: number): Float32Array {
	const plane = size * size;
	const out = new Float32Array(n * 2);
	const at = (base: number, x: number, y: number) => heatmaps[base + y * size + x];
	// Vertex offset of the parabola through (−1, l), (0, c), (1, r) in log space, within ±0.5.
	const offset = (l: number, c: number, r: number) => {
		if (!(l > 0 && c > 0 && r > 0)) return 0;
		const [a, b, d] = [Math.log(l), Math.log(c), Math.log(r)];
		const den = a - 2 * b + d;
		return den < 0 ? Math.max(-0.5, Math.min(0.5, (a - d) / (2 * den))) : 0;
	};
	for (let ch = 0; ch < n; ch++) {
		const base = ch * plane;
		let best = 0;
		for (let i = 1; i < plane; i++) if (heatmaps[base + i] > heatmaps[base + best]) best = i;
		const bx = best % size, by = Math.floor(best / size);
		const c = at(base, bx, by);
		const ox = bx > 0 && bx < size - 1 ? offset(at(base, bx - 1, by), c, at(base, bx + 1, by)) : 0;
		const oy = by > 0 && by < size - 1 ? offset(at(base, bx, by - 1), c, at(base, bx, by + 1)) : 0;
		out[2 * ch] = bx + 0.5 + ox;
		out[2 * ch + 1] = by + 0.5 + oy;
	}
	return out;
}
