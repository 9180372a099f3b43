// The latent cell: z ∈ R^512 for the ProGAN generator, two seeded latents and a spherical
// interpolation between them (src/lib/latent/slerp.ts says why spherical). View: Latent.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import { seededLatent, slerp } from '$lib/latent/slerp';

export const proganLatent = defineCell({
	kind: 'progan-latent',
	summary: 'A latent z: two seeded N(0, I) draws and a spherical interpolation between them.',
	params: {
		seedA: { type: 'seed', label: 'Seed A', default: 7, help: 'Seed of the first latent z_A ~ N(0, I).' },
		seedB: { type: 'seed', label: 'Seed B', default: 42, help: 'Seed of the second latent z_B ~ N(0, I).' },
		t: { type: 'number', label: 'Interpolation t', min: 0, max: 1, step: 0.01, default: 0, help: 't = 0 is z_A, t = 1 is z_B, spherical in between.' }
	},
	/** z as a Float32Array(512), what the generator takes. */
	compute(ctx): Float32Array {
		const { seedA, seedB, t } = ctx.params;
		return Float32Array.from(slerp(seededLatent(toSeed(seedA)), seededLatent(toSeed(seedB)), t).z);
	}
});
