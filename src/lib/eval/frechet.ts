// Fréchet distance between two Gaussians fitted to feature sets (the formula behind FID), in
// plain float64 TypeScript. Used by the "FID-proxy" tool, which feeds it face-api recognition
// descriptors instead of Inception-v3 pool features, so its numbers are NOT comparable to the
// Inception-FID values printed in papers; only compare FID-proxy with FID-proxy.
//
//   d² = ‖μ1 − μ2‖² + Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^{1/2})
//
// Tr((Σ1 Σ2)^{1/2}) = Σ √λ_i(Σ1^{1/2} Σ2 Σ1^{1/2}): the product Σ1Σ2 is similar to that
// symmetric PSD matrix, so both have the same (real, ≥ 0) eigenvalues. Working with the
// symmetric form lets a Jacobi eigen-solver do everything, without the complex sqrtm
// round-off that scipy-based FID code has to discard.

/** Matrices are row-major Float64Array, n×n. */
export interface Gaussian {
	dim: number;
	count: number;
	mean: Float64Array;
	/** Sample covariance (divides by N − 1, as numpy.cov and pytorch-fid do). */
	cov: Float64Array;
}

/** Mean and sample covariance of `count` row vectors of length `dim` stored row-major. */
export function gaussianStats(features: ArrayLike<number>, count: number, dim: number): Gaussian {
	if (!(Number.isInteger(count) && Number.isInteger(dim) && count >= 2 && dim >= 1))
		throw new RangeError(`gaussianStats: need at least 2 vectors of dimension ≥ 1 (got ${count}×${dim})`);
	if (features.length !== count * dim)
		throw new RangeError(`gaussianStats: ${features.length} values is not ${count}×${dim}`);
	const mean = new Float64Array(dim);
	for (let i = 0; i < count; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j];
	for (let j = 0; j < dim; j++) mean[j] /= count;
	const cov = new Float64Array(dim * dim);
	const row = new Float64Array(dim);
	for (let i = 0; i < count; i++) {
		for (let j = 0; j < dim; j++) row[j] = features[i * dim + j] - mean[j];
		// upper triangle only; mirrored below
		for (let a = 0; a < dim; a++) {
			const ra = row[a];
			const o = a * dim;
			for (let b = a; b < dim; b++) cov[o + b] += ra * row[b];
		}
	}
	const s = 1 / (count - 1);
	for (let a = 0; a < dim; a++)
		for (let b = a; b < dim; b++) {
			const v = cov[a * dim + b] * s;
			cov[a * dim + b] = v;
			cov[b * dim + a] = v;
		}
	return { dim, count, mean, cov };
}

export interface Eigen {
	/** Eigenvalues, descending. */
	values: Float64Array;
	/** Eigenvectors as columns of a row-major n×n matrix, in the order of `values`. */
	vectors: Float64Array;
	sweeps: number;
}

/**
 * Eigen-decomposition of a symmetric n×n matrix by cyclic Jacobi rotations. Slow (O(n³) per
 * sweep, ~6–10 sweeps) but unconditionally stable and accurate to a few ulps of ‖A‖, which is
 * plenty for n = 128. The input is not modified.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, maxSweeps = 60): Eigen {
	if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: ${matrix.length} values is not ${n}×${n}`);
	const a = Float64Array.from(matrix);
	// symmetrise: callers pass products that are symmetric only up to round-off
	for (let p = 0; p < n; p++)
		for (let q = p + 1; q < n; q++) {
			const m = 0.5 * (a[p * n + q] + a[q * n + p]);
			a[p * n + q] = m;
			a[q * n + p] = m;
		}
	const v = new Float64Array(n * n);
	for (let i = 0; i < n; i++) v[i * n + i] = 1;
	let total = 0;
	for (let i = 0; i < n * n; i++) total += a[i] * a[i];
	const tiny = Number.EPSILON * Number.EPSILON * total; // off-diagonal mass treated as zero
	let sweeps = 0;
	for (; sweeps < maxSweeps; sweeps++) {
		let off = 0;
		for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
		if (off <= tiny) break;
		for (let p = 0; p < n - 1; p++)
			for (let q = p + 1; q < n; q++) {
				const apq = a[p * n + q];
				if (apq === 0) continue;
				const app = a[p * n + p];
				const aqq = a[q * n + q];
				// Rotation angle that zeroes a[p][q] (Rutishauser's stable formulas).
				const theta = (aqq - app) / (2 * apq);
				const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
				const c = 1 / Math.sqrt(t * t + 1);
				const s = t * c;
				for (let k = 0; k < n; k++) {
					// columns p and q
					const akp = a[k * n + p];
					const akq = a[k * n + q];
					a[k * n + p] = c * akp - s * akq;
					a[k * n + q] = s * akp + c * akq;
				}
				for (let k = 0; k < n; k++) {
					// rows p and q
					const apk = a[p * n + k];
					const aqk = a[q * n + k];
					a[p * n + k] = c * apk - s * aqk;
					a[q * n + k] = s * apk + c * aqk;
				}
				a[p * n + q] = 0;
				a[q * n + p] = 0;
				for (let k = 0; k < n; k++) {
					const vkp = v[k * n + p];
					const vkq = v[k * n + q];
					v[k * n + p] = c * vkp - s * vkq;
					v[k * n + q] = s * vkp + c * vkq;
				}
			}
	}
	const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
	const values = new Float64Array(n);
	const vectors = new Float64Array(n * n);
	order.forEach((src, dst) => {
		values[dst] = a[src * n + src];
		for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
	});
	return { values, vectors, sweeps };
}

/** C = A·B for row-major n×n matrices. */
export function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
	const c = new Float64Array(n * n);
	for (let i = 0; i < n; i++)
		for (let k = 0; k < n; k++) {
			const aik = a[i * n + k];
			if (aik === 0) continue;
			for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
		}
	return c;
}

/** Symmetric PSD square root V·diag(√max(λ, 0))·Vᵀ (negative round-off eigenvalues clamp to 0). */
export function sqrtPsd(matrix: ArrayLike<number>, n: number): Float64Array {
	const { values, vectors } = symmetricEigen(matrix, n);
	const out = new Float64Array(n * n);
	for (let k = 0; k < n; k++) {
		const r = Math.sqrt(Math.max(values[k], 0));
		if (r === 0) continue;
		for (let i = 0; i < n; i++) {
			const vi = vectors[i * n + k] * r;
			for (let j = 0; j < n; j++) out[i * n + j] += vi * vectors[j * n + k];
		}
	}
	return out;
}

/** Tr((Σ1 Σ2)^{1/2}) = Σ √λ(Σ1^{1/2} Σ2 Σ1^{1/2}), tiny negative eigenvalues clamped to 0. */
export function traceSqrtProduct(cov1: Float64Array, cov2: Float64Array, n: number): number {
	const s1 = sqrtPsd(cov1, n);
	const m = matMul(matMul(s1, cov2, n), s1, n);
	const { values } = symmetricEigen(m, n);
	let tr = 0;
	for (const l of values) tr += Math.sqrt(Math.max(l, 0));
	return tr;
}

export interface FrechetResult {
	/** d², the usual "FID" quantity (not its square root). */
	distance: number;
	/** ‖μ1 − μ2‖² */
	meanTerm: number;
	/** Tr(Σ1 + Σ2 − 2 (Σ1Σ2)^{1/2}) */
	covTerm: number;
}

/** Fréchet distance between two fitted Gaussians of the same dimension. */
export function frechetDistance(g1: Gaussian, g2: Gaussian): FrechetResult {
	const n = g1.dim;
	if (g2.dim !== n) throw new RangeError(`frechetDistance: dimensions differ (${n} vs ${g2.dim})`);
	let meanTerm = 0;
	for (let i = 0; i < n; i++) meanTerm += (g1.mean[i] - g2.mean[i]) ** 2;
	let tr = 0;
	for (let i = 0; i < n; i++) tr += g1.cov[i * n + i] + g2.cov[i * n + i];
	// Clamped at 0: for (nearly) identical sets round-off can leave a tiny negative value.
	const covTerm = Math.max(0, tr - 2 * traceSqrtProduct(g1.cov, g2.cov, n));
	return { distance: meanTerm + covTerm, meanTerm, covTerm };
}

/** Convenience: Fréchet distance between two row-major feature sets of dimension `dim`. */
export function frechetFromFeatures(a: ArrayLike<number>, b: ArrayLike<number>, dim: number): FrechetResult {
	return frechetDistance(gaussianStats(a, a.length / dim, dim), gaussianStats(b, b.length / dim, dim));
}
