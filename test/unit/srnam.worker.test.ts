// The search-worker message protocol (workerProtocol.ts server, searchProxy.ts client) over a
// Node MessageChannel with the small test networks of srnam.search.test.ts: a proxied search
// equals the in-page one step for step, mirrors the history, pauses between steps, restores,
// and resumes from its own serialised state; the host (workerHost.ts) keeps one worker per
// backend, retires a stale one and drops one that lost its device; chunks wait in the GPU queue.
import * as tf from '@tensorflow/tfjs';
import { MessageChannel as NodeChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch } from '../../src/lib/srnam/search';
import { SearchChannel } from '../../src/lib/srnam/searchProxy';
import { serveSearches, type PlainSearchOptions, type Port } from '../../src/lib/srnam/workerProtocol';
import { createWorkerHost, type WorkerLike } from '../../src/lib/srnam/workerHost';
import { GpuQueue } from '../../src/lib/runtime/gpuQueue';
import { LATENT, NOISE, tinyNets } from './tinyNets';

let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;
let channel: SearchChannel;
let ports: { close(): void }[] = [];
const netsAsked: unknown[] = [];

beforeAll(async () => {
	await tf.setBackend('cpu');
	({ generator, degrader } = tinyNets(7));
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

	it('a step chunk waits its turn in the page GPU queue and holds it; a pause before its turn runs 0 steps', async () => {
		const queue = new GpuQueue();
		const order: string[] = [];
		let log = false;
		const gpu = <R>(task: () => Promise<R>) =>
			queue.run(async () => {
				if (log) order.push('chunk starts');
				const r = await task(); // the worker's reply arrives while the queue is held
				if (log) order.push('chunk ends');
				return r;
			});
		const remote = await channel.open(null, plain(), undefined, gpu);
		log = true;
		let release!: () => void;
		const blocker = queue.run(() => new Promise<void>((r) => (release = r)).then(() => void order.push('page task')));
		const chunk = remote.step(4);
		const after = queue.run(async () => void order.push('page task 2'));
		await new Promise((r) => setTimeout(r, 30));
		expect(order).toEqual([]); // the chunk is queued behind the page task
		release();
		await Promise.all([blocker, chunk, after]);
		expect(order).toEqual(['page task', 'chunk starts', 'chunk ends', 'page task 2']);
		log = false;
		expect((await chunk).ran).toBe(4);
		const ctl = new AbortController();
		let free!: () => void;
		void queue.run(() => new Promise<void>((r) => (free = r)));
		const paused = remote.step(50, { signal: ctl.signal });
		ctl.abort(); // paused while still waiting for the queue
		await new Promise((r) => setTimeout(r, 10)); // the blocking task has started
		free();
		const r = await paused;
		expect([r.ran, r.aborted, remote.stepCount]).toEqual([0, true, 4]);
		await remote.dispose();
	});
});

/** A stand-in Worker over a MessageChannel that behaves like searchWorker.ts. */
function fakeWorker(log: string[], lose: { post?: (why: string) => void }): WorkerLike {
	const { port1, port2 } = new NodeChannel();
	const p1 = port1 as unknown as Port & WorkerLike;
	const p2 = port2 as unknown as Port & { removeEventListener: WorkerLike['removeEventListener'] };
	const first = (e: MessageEvent) => {
		p2.removeEventListener('message', first);
		log.push(`start ${(e.data as { backend: string }).backend}`);
		serveSearches(p2, async () => ({ generator, degrader }));
		lose.post = (why) => p2.postMessage({ lost: why });
		p2.postMessage({ ready: (e.data as { backend: string }).backend });
	};
	p2.addEventListener('message', first);
	port1.start();
	port2.start();
	return {
		postMessage: (m) => p1.postMessage(m),
		addEventListener: (type, l, opts) => {
			if (type === 'message') p1.addEventListener('message', l as (e: MessageEvent) => void, opts);
		},
		removeEventListener: (type, l) => p1.removeEventListener(type, l),
		terminate: () => {
			log.push('terminate');
			port1.close();
		}
	};
}

describe('srnam search worker host', () => {
	it('one worker per backend; a backend change retires the old one; cpu and no-Worker search in the page', async () => {
		const log: string[] = [];
		const host = createWorkerHost(() => fakeWorker(log, {}));
		const a = await host.channel('wasm');
		expect(a).not.toBeNull();
		expect(await host.channel('wasm')).toBe(a);
		const b = await host.channel('webgl');
		expect(b).not.toBe(a);
		expect(log).toEqual(['start wasm', 'terminate', 'start webgl']);
		expect(await host.channel('cpu')).toBeNull();
		expect(await createWorkerHost(null).channel('wasm')).toBeNull();
	});

	it('a worker that lost its device fails its searches clearly, is dropped; within a minute searches run in the page, later in a new worker', async () => {
		const log: string[] = [];
		const lose: { post?: (why: string) => void } = {};
		let clock = 0;
		const host = createWorkerHost(() => fakeWorker(log, lose), () => clock);
		const heard: string[] = [];
		host.onLost((m) => heard.push(m));
		const ch = (await host.channel('webgpu'))!;
		const s = await ch.open(null, plain());
		await s.step(2);
		lose.post!('device destroyed');
		await new Promise((r) => setTimeout(r, 20));
		expect(heard).toEqual([expect.stringMatching(/GPU device was lost \(device destroyed\); the search restarts from its last save/)]);
		expect(ch.failed).toBe(true);
		await expect(s.step(1)).rejects.toThrow(/GPU device was lost/);
		expect(log).toEqual(['start webgpu', 'terminate']);
		clock = 59_000; // lost less than a minute ago: search in the page instead of another worker
		expect(await host.channel('webgpu')).toBeNull();
		clock = 61_000;
		const again = (await host.channel('webgpu'))!;
		expect(again).not.toBe(ch);
		const s2 = await again.open(null, plain());
		expect((await s2.step(2)).ran).toBe(2);
		expect(log).toEqual(['start webgpu', 'terminate', 'start webgpu']);
		await s2.dispose();
	});
});
