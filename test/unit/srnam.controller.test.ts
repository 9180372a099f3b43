// The Live SR-NAM search controller in Node, over a real latent search with tiny injected
// networks (tinyNets.ts): run to the budget in chunks, pause,
// single step, scrub and back to live, pins (at most MAX_PINS), saving into the session
// history, resuming a saved run (carrying on when it was running), a new run for other
// settings, and Eq. 7 scored only while the search is not running.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { LATENT, NOISE, tinyNets } from './tinyNets';
import { createSearch, resumeSearch, type SearchOptions } from '../../src/lib/srnam/search';
import { unpackSearch, type CellHistory } from '../../src/lib/srnam/persist';
import type { Render } from '../../src/lib/srnam/types';
import { MAX_PINS, RENDER_EVERY, SearchController, type SearchViewState } from '../../src/notebooks/srnam/searchController';
import type { SrnamSession } from '../../src/notebooks/srnam/search';

let opts: SearchOptions;
const made: SearchController[] = [];

beforeAll(async () => {
	await tf.setBackend('cpu');
	const { generator, degrader } = tinyNets(5);
	opts = {
		generator,
		degrader,
		lr: rgbImage(2, 2, new Float32Array(12).fill(0.4)),
		K: 2,
		seed: 1,
		latentDim: LATENT,
		noiseDim: NOISE,
		adam: { learningRate: 0.05 },
		noise: { mode: 'fixed', seed: 2 },
		historyEvery: 5
	};
});
afterEach(() => made.splice(0).forEach((c) => c.dispose()));

function session(over: Partial<SrnamSession> = {}, scores: Render[] = []): SrnamSession {
	return {
		input: { lr: opts.lr, label: 'test' },
		K: 2,
		budget: 12,
		historyEvery: 5,
		fingerprint: 'settings-a',
		standIn: true,
		eq7: {
			source: 'teacher',
			score: async (c) => {
				scores.push({ candidates: c } as Render);
				return c.map(() => 0.5);
			}
		} as SrnamSession['eq7'],
		make: () => createSearch(opts),
		open: async () => createSearch(opts),
		resume: async (s) => resumeSearch(opts, s),
		...over
	};
}

/** A controller with its saves kept in a history object, as the notebook page keeps them; its
 *  clock moves past the save interval on every reading, so every chunk saves. */
function controller(s: SrnamSession, store: { history: CellHistory }) {
	let t = 0;
	const now = () => (t += 10_000);
	const c = new SearchController(s, { cellId: 'search', history: store.history, onHistory: (h) => (store.history = { ...h }), now, pauseBetweenChunks: async () => {} });
	made.push(c);
	return c;
}

const until = async (c: SearchController, pred: (s: SearchViewState) => boolean) => {
	for (let i = 0; i < 2000 && !pred(c.state); i++) await new Promise((r) => setTimeout(r, 2));
	expect(pred(c.state)).toBe(true);
};

describe('SearchController', () => {
	it('runs to the budget in chunks, then stops and saves the stopped run', async () => {
		const store = { history: {} as CellHistory };
		const c = controller(session(), store);
		const seen: number[] = [];
		c.subscribe((s) => seen.push(s.stepCount));
		await c.open();
		expect(c.state.ready).toBe(true);
		expect(c.state.live?.step).toBe(0);
		expect(Object.keys(store.history).length).toBeGreaterThan(0);
		c.start();
		expect(c.state.running).toBe(true);
		await until(c, (s) => !s.running && s.stepCount === 12);
		expect(new Set(seen.filter((n) => n > 0))).toEqual(new Set([RENDER_EVERY, 2 * RENDER_EVERY, 12]));
		expect(c.state.losses.length).toBe(12 * 2);
		expect(c.state.view).toBe(c.state.live);
		// a reload of the finished run resumes it, not running
		const again = controller(session(), { history: store.history });
		await again.open();
		expect(again.state.stepCount).toBe(12);
		expect(again.state.notice).toMatch(/Resumed the saved run at step 12\.$/);
		expect(again.state.running).toBe(false);
	});

	it('steps one at a time, scrubs back to a stored step and returns to live', async () => {
		const c = controller(session({ budget: 20 }), { history: {} });
		await c.open();
		for (let i = 0; i < 7; i++) await c.advance(1);
		expect(c.state.stepCount).toBe(7);
		await c.scrubTo(5);
		expect([c.state.scrubbing, c.state.view?.step, c.state.live?.step]).toEqual([true, 5, 7]);
		await c.scrubTo(7);
		expect([c.state.scrubbing, c.state.view]).toEqual([false, c.state.live]);
	});

	it('keeps at most MAX_PINS pins, unpins, and saves them with the run', async () => {
		const store = { history: {} as CellHistory };
		const c = controller(session(), store);
		await c.open();
		for (let i = 0; i < MAX_PINS + 2; i++) c.pin(i % 2);
		expect(c.state.pins).toHaveLength(MAX_PINS);
		c.unpin(0);
		expect(c.state.pins).toHaveLength(MAX_PINS - 1);
		await until(c, () => true);
		await new Promise((r) => setTimeout(r, 20)); // the pin saves are asynchronous
		const again = controller(session(), { history: store.history });
		await again.open();
		expect(again.state.pins).toHaveLength(MAX_PINS - 1);
		expect(again.state.pins[0].image.width).toBe(8);
	});

	it('a run saved while running carries on after a reload; other settings start afresh', async () => {
		const saves: CellHistory[] = [];
		const store = { history: {} as CellHistory };
		const c = controller(session({ budget: 40 }), store);
		c.subscribe(() => saves.at(-1) !== store.history && saves.push(store.history));
		await c.open();
		c.start();
		await until(c, (s) => !s.running && s.stepCount === 40);
		// the page reloads after the first save made mid-run: it says running
		const midRun = saves.find((h) => unpackSearch('search', h)?.running);
		expect(midRun).toBeDefined();
		const again = controller(session({ budget: 40 }), { history: midRun! });
		await again.open();
		expect(again.state.notice).toMatch(/^Resumed the saved run at step [1-9]\d*; it was running, so it carries on\.$/);
		await until(again, (s) => !s.running && s.stepCount === 40);
		const other = controller(session({ budget: 40, fingerprint: 'settings-b' }), { history: midRun! });
		await other.open();
		expect([other.state.stepCount, other.state.notice]).toEqual([0, '']);
	});

	it('pause stops the run between steps; Eq. 7 is scored only while not running', async () => {
		const scored: Render[] = [];
		const c = controller(session({ budget: 500 }, scored), { history: {} });
		await c.open();
		await until(c, (s) => !!s.eq7);
		expect(c.state.eq7?.scores).toEqual([0.5, 0.5]);
		c.start();
		const during = scored.length;
		await until(c, (s) => s.stepCount >= 2 * RENDER_EVERY);
		expect(scored.length).toBe(during);
		c.pause();
		await until(c, (s) => !s.running && !s.busy);
		const stopped = c.state.stepCount;
		expect(stopped).toBeLessThan(500);
		await until(c, (s) => s.eq7?.view === s.view);
		expect(scored.length).toBeGreaterThan(during);
		await new Promise((r) => setTimeout(r, 30));
		expect(c.state.stepCount).toBe(stopped);
	});
});
