// Issue 8, "tab closed or reloaded mid-optimisation": the saved SR-NAM run in a session may be
// damaged (a record half-written by an old version, a hand-edited export). 2,000 seeded
// damaged histories: unpacking and resuming either works or fails with an Error the cell shows
// ("the saved run could not be read; a new one starts"), and a failed resume frees its tensors.
// The happy path (resume equals an uninterrupted run) is srnam.persist.test.ts.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch, resumeSearch, type SearchOptions } from '../../src/lib/srnam/search';
import { LATENT, NOISE, tinyNets, type TinyNets } from './tinyNets';
import { packSearch, unpackSearch, type CellHistory } from '../../src/lib/srnam/persist';

const CASES = 2000;
let nets: TinyNets;
let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;

beforeAll(async () => {
	await tf.setBackend('cpu');
	nets = tinyNets(3);
	({ generator, degrader } = nets);
	lr = rgbImage(2, 2, Float32Array.from({ length: 12 }, (_, i) => (i % 4) / 4));
});
afterAll(() => nets.dispose());

const opts = (): SearchOptions => ({
	generator,
	degrader,
	lr,
	K: 2,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	noise: { mode: 'joint', seed: 2 },
	historyEvery: 3
});

describe('resuming a damaged saved run', () => {
	it(`${CASES.toLocaleString('en')} damaged histories: an Error or a working resume, never a leak`, async () => {
		const s = createSearch(opts());
		await s.step(10);
		const good = packSearch('search', { state: await s.serialise(), fingerprint: 'fp', running: true, pins: [], pinPixels: [] });
		await s.dispose();
		const base = tf.memory().numTensors;

		const rng = createRng(0xda3a9e);
		const int = (n: number) => Math.floor(rng.uniform() * n);
		const keys = Object.keys(good);
		const metaText = new TextDecoder().decode(good['search-meta'] as Uint8Array);
		const damage = (): CellHistory => {
			const h: CellHistory = { ...good };
			const k = keys[int(keys.length)];
			switch (int(6)) {
				case 0: delete h[k]; break;
				case 1: h[k] = (h[k] as Float32Array | Uint8Array).slice(0, int(h[k].length)); break; // cut short
				case 2: h[k] = h[k] instanceof Float32Array ? new Uint8Array(h[k].buffer.slice(0)) : new Float32Array(4); break; // wrong type
				case 3: { // bit flips in the meta JSON
					const b = new TextEncoder().encode(metaText);
					for (let i = 1 + int(3); i > 0; i--) b[int(b.length)] ^= 1 << int(8);
					h['search-meta'] = b;
					break;
				}
				case 4: { // plausible JSON, hostile numbers
					const m = JSON.parse(metaText);
					const field = ['K', 'latentDim', 'noiseDim', 'step', 'every', 'chunks', 'seed', 'v', 'latentSteps', 'pins', 'noiseMode'][int(11)];
					m[field] = [0, -1, 1.5, 1e9, 2 ** 53, null, 'x', [], [{ width: 1e6, height: 1e6 }], 'fixed'][int(10)];
					h['search-meta'] = new TextEncoder().encode(JSON.stringify(m));
					break;
				}
				default: { // K changed consistently in meta only: arrays no longer fit
					const m = JSON.parse(metaText);
					m.K = 1 + int(4);
					h['search-meta'] = new TextEncoder().encode(JSON.stringify(m));
				}
			}
			return h;
		};

		let resumed = 0;
		let refused = 0;
		for (let n = 0; n < CASES; n++) {
			const h = damage();
			let saved;
			try {
				saved = unpackSearch('search', h);
			} catch (e) {
				if (!(e instanceof Error)) throw new Error(`case ${n}: unpack threw a non-Error ${String(e)}`);
				refused++;
				continue;
			}
			if (!saved) {
				refused++;
				continue;
			}
			let r;
			try {
				r = await resumeSearch(opts(), saved.state);
			} catch (e) {
				if (!(e instanceof Error)) throw new Error(`case ${n}: resume threw a non-Error ${String(e)}`);
				refused++;
			}
			if (r) {
				expect(r.stepCount).toBe(saved.state.step);
				await r.step(1); // a resumed search runs on
				await r.dispose();
				resumed++;
			}
			if (tf.memory().numTensors !== base) throw new Error(`case ${n}: ${tf.memory().numTensors - base} tensors leaked`);
		}
		expect(refused).toBeGreaterThan(CASES / 4);
		expect(resumed).toBeGreaterThan(50);
	});
});
