// The search-worker message protocol (workerProtocol.ts server, searchProxy.ts client) over a
// Node MessageChannel with the small test networks of srnam.search.test.ts: a proxied search
// equals the in-page one step for step, mirrors the history, pauses between steps, restores,
// and resumes from its own serialised state.
import * as tf from '@tensorflow/tfjs';
import { MessageChannel as NodeChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch } from '../../src/lib/srnam/search';
import { SearchChannel } from '../../src/lib/srnam/searchProxy';
import { serveSearches, type PlainSearchOptions, type Port } from '../../src/lib/srnam/workerProtocol';

const LATENT = 16;
const NOISE = 4;
let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;
let channel: SearchChannel;
let ports: { close(): void }[] = [];
const netsAsked: unknown[] = [];

beforeAll(async () => {
	await tf.setBackend('cpu');
	const rng = createRng(7);
	const W = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(LATENT * 192), 0, 0.3 / Math.sqrt(LATENT)), [LATENT, 192]));
	const P = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(NOISE * 12), 0, 0.02), [NOISE, 12]));
	generator = (z) => tf.reshape(tf.matMul(z, W), [z.shape[0], 8, 8, 3]);
	const pool = avgPoolDegrader(4);
	degrader = (hr, n) => tf.add(pool(hr, n), tf.reshape(tf.matMul(n, P), [n.shape[0], 2, 2, 3]));
	lr = rgbImage(2, 2, Float32Array.from({ length: 12 }, (_, i) => 0.3 + 0.03 * i));
	const { port1, port2 } = new NodeChannel();
	ports = [port1, port2];
	serveSearches(port2 as unknown as Port, async (nets) => {
		netsAsked.push(nets);
		return { generator, degrader };
	});
	channel = new SearchChannel(port1 as unknown as Port);
	port1.start();
	port2.start();
});
afterAll(() => ports.forEach((p) => p.close()));

const plain = (over: Partial<PlainSearchOptions> = {}): PlainSearchOptions => ({
	lr,
	K: 3,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	adam: { learningRate: 0.05 },
	noise: { mode: 'joint', seed: 2 },
	historyEvery: 4,
	...over
});

describe('srnam search worker protocol', () => {
	it('a proxied search equals the in-page one: losses, history, renders, restore', async () => {
		const local = createSearch({ ...plain(), generator, degrader });
		const remote = await channel.open({ generator: 'g' }, plain());
		expect(netsAsked.at(-1)).toEqual({ generator: 'g' });
		expect([remote.K, remote.latentDim, remote.noiseDim, remote.stepCount]).toEqual([3, LATENT, NOISE, 0]);
		const a = await local.step(9);
		const b = await remote.step(9);
		expect(b.step).toBe(9);
		expect(remote.stepCount).toBe(9);
		expect(Array.from(b.losses)).toEqual(Array.from(a.losses));
		expect(Array.from(b.last)).toEqual(Array.from(a.last));
		expect(Array.from(remote.history.losses())).toEqual(Array.from(local.history.losses()));
		expect(remote.history.latentSteps()).toEqual([0, 4, 8]);
		expect(Array.from(remote.history.latentRecords()[1].noise!)).toEqual(Array.from(local.history.latentRecords()[1].noise!));
		const [sa, sb] = [await local.snapshot(), await remote.snapshot()];
		expect(sb.step).toBe(9);
		expect(Array.from(sb.candidates[2].data)).toEqual(Array.from(sa.candidates[2].data));
		expect(Array.from(sb.z)).toEqual(Array.from(sa.z));
		const [ra, rb] = [await local.restore(5), await remote.restore(5)];
		expect(rb.step).toBe(4);
		expect(Array.from(rb.losses)).toEqual(Array.from(ra.losses));
		await local.dispose();
		await remote.dispose();
		expect(remote.disposed).toBe(true);
		await expect(remote.snapshot()).rejects.toThrow(/disposed/);
	});

	it('pause stops a long step between two Adam steps; serialise + resume carries on exactly', async () => {
		const remote = await channel.open(null, plain({ noise: { mode: 'fixed', seed: 2 } }));
		const ctl = new AbortController();
		const p = remote.step(10_000, { signal: ctl.signal });
		setTimeout(() => ctl.abort(), 30);
		const r = await p;
		expect(r.aborted).toBe(true);
		expect(r.ran).toBeGreaterThan(0);
		expect(r.ran).toBeLessThan(10_000);
		expect(remote.history.length).toBe(r.ran);
		const state = await remote.serialise();
		expect(state.step).toBe(r.ran);
		const again = await channel.open(null, plain({ noise: { mode: 'fixed', seed: 2 } }), state);
		expect(again.stepCount).toBe(r.ran);
		expect(again.history.length).toBe(r.ran);
		const [x, y] = [await remote.step(3), await again.step(3)];
		expect(Array.from(y.losses)).toEqual(Array.from(x.losses));
		await Promise.all([remote.dispose(), again.dispose()]);
	});

	it('errors in the worker reject the call with their message', async () => {
		await expect(channel.open(null, plain({ K: 0 }))).rejects.toThrow(/K must be an integer/);
	});
});
