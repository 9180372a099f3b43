// The latent cell (growth notebook): z ∈ R^512 for the generator, two seeded latents and a
// spherical interpolation between them (src/lib/latent/slerp.ts says why spherical).

import type { ParamSpec, ParamValues } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { toSeed } from '$lib/image/rng';
import { seededLatent, slerp } from '$lib/latent/slerp';

export const latentParams: Record<string, ParamSpec> = {
	seedA: { type: 'seed', label: 'Seed A', default: 7, help: 'Seed of the first latent z_A ~ N(0, I).' },
	seedB: { type: 'seed', label: 'Seed B', default: 42, help: 'Seed of the second latent z_B ~ N(0, I).' },
	t: { type: 'number', label: 'Interpolation t', min: 0, max: 1, step: 0.01, default: 0, help: 't = 0 is z_A, t = 1 is z_B, spherical in between.' }
};

export function readLatentParams(values: ParamValues): { seedA: number; seedB: number; t: number } {
	const seed = (name: string) => {
		const raw = Number(values[name]);
		return toSeed(Number.isFinite(raw) ? raw : (latentParams[name].default as number));
	};
	const raw = Number(values.t);
	const t = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
	return { seedA: seed('seedA'), seedB: seed('seedB'), t };
}

/** Output: z as a Float32Array(512), what the generator takes. */
export function computeLatent(ctx: ComputeContext): Float32Array {
	const { seedA, seedB, t } = readLatentParams(ctx.params);
	return Float32Array.from(slerp(seededLatent(seedA), seededLatent(seedB), t).z);
}
