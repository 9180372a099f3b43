// How many threads tfjs wasm is asked for (src/lib/backend/wasmThreads.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_WASM_THREADS, NOT_ISOLATED, threadsFromAddress, wasmThreadPlan, withThreadsVisible } from '../../src/lib/backend/wasmThreads';

describe('wasm thread plan', () => {
	it('one thread, with the reason, when the page is not cross-origin isolated', () => {
		expect(wasmThreadPlan(false, 16)).toEqual({ threads: 1, why: NOT_ISOLATED });
		expect(wasmThreadPlan(false, 16, 4).threads).toBe(1);
	});
	it('one per logical core when isolated, capped at the pre-allocated pool', () => {
		expect(wasmThreadPlan(true, 2)).toEqual({ threads: 2 });
		expect(wasmThreadPlan(true, 64).threads).toBe(MAX_WASM_THREADS);
		expect(wasmThreadPlan(true, undefined).threads).toBe(1);
	});
	it('a requested count wins, kept within 1..MAX', () => {
		expect(wasmThreadPlan(true, 2, 1).threads).toBe(1);
		expect(wasmThreadPlan(true, 2, 0).threads).toBe(1);
		expect(wasmThreadPlan(true, 2, 99).threads).toBe(MAX_WASM_THREADS);
		expect(wasmThreadPlan(true, 2, Number.NaN).threads).toBe(1);
	});
});

describe('withThreadsVisible', () => {
	afterEach(() => vi.unstubAllGlobals());
	it('shows tfjs 2 × threads logical cores while it starts, then the real count again', async () => {
		// a browser's navigator: the count is a getter on its prototype
		class FakeNavigator {
			get hardwareConcurrency() {
				return 2;
			}
		}
		vi.stubGlobal('navigator', new FakeNavigator());
		const real = navigator.hardwareConcurrency;
		const seen = await withThreadsVisible(3, async () => navigator.hardwareConcurrency);
		expect(seen).toBe(6);
		expect(navigator.hardwareConcurrency).toBe(real);
		await expect(withThreadsVisible(2, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
		expect(navigator.hardwareConcurrency).toBe(real);
		expect(await withThreadsVisible(1, async () => navigator.hardwareConcurrency)).toBe(real);
	});
});

describe('?threads= in the address', () => {
	it('reads a whole number ≥ 1 and ignores anything else', () => {
		expect(threadsFromAddress('?backend=wasm&threads=1')).toBe(1);
		expect(threadsFromAddress('?threads=4')).toBe(4);
		for (const s of ['', '?backend=wasm', '?threads=', '?threads=0', '?threads=-2', '?threads=1.5', '?threads=abc', '?threads=99999', undefined])
			expect(threadsFromAddress(s), String(s)).toBeUndefined();
	});
});
