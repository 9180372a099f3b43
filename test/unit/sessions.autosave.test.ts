import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver, type AutosaveInfo } from '$lib/sessions/autosave';
import { ConflictError, StorageFullError } from '$lib/sessions/errors';

beforeEach(() => {
	vi.useFakeTimers();
	vi.setSystemTime(0);
});
afterEach(() => vi.useRealTimers());

/** A save function whose calls are recorded and whose failures the test controls. */
function recorder() {
	const saved: number[] = [];
	const calls: number[] = [];
	let failWith: (() => unknown) | undefined;
	const save = async (v: number) => {
		calls.push(v);
		await Promise.resolve();
		if (failWith) throw failWith();
		saved.push(v);
	};
	return { saved, calls, save, fail: (f?: () => unknown) => (failWith = f) };
}

describe('autosave', () => {
	it('debounces: one save ~delay after the last change, with the newest value', async () => {
		const r = recorder();
		const a = createAutosaver(r.save, { delayMs: 500 });
		const statuses: string[] = [];
		a.subscribe((i) => statuses.push(i.status));
		a.schedule(1);
		await vi.advanceTimersByTimeAsync(300);
		a.schedule(2);
		await vi.advanceTimersByTimeAsync(300);
		a.schedule(3);
		await vi.advanceTimersByTimeAsync(499);
		expect(r.calls).toEqual([]);
		expect(a.info.status).toBe('pending');
		expect(a.dirty).toBe(true);
		await vi.advanceTimersByTimeAsync(1);
		expect(r.saved).toEqual([3]);
		expect(a.info.status).toBe('saved');
		expect(a.info.lastSavedAt).toBe(1100);
		expect(a.dirty).toBe(false);
		expect(statuses).toEqual(['saved', 'pending', 'saving', 'saved']);
	});

	it('saves at least every maxWaitMs while changes keep coming', async () => {
		const r = recorder();
		const a = createAutosaver(r.save, { delayMs: 500, maxWaitMs: 1000 });
		for (let t = 0; t < 25; t++) {
			a.schedule(t);
			await vi.advanceTimersByTimeAsync(100);
		}
		// 2.5 s of continuous dragging: saves at ~1 s and ~2 s, not zero.
		expect(r.saved.length).toBeGreaterThanOrEqual(2);
		await vi.advanceTimersByTimeAsync(600);
		expect(r.saved.at(-1)).toBe(24);
	});

	it('a change during a save is saved afterwards (never lost, one save at a time)', async () => {
		let release!: () => void;
		const saved: number[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		const a = createAutosaver(
			async (v: number) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				await new Promise<void>((res) => (release = res));
				inFlight--;
				saved.push(v);
			},
			{ delayMs: 100 }
		);
		a.schedule(1);
		await vi.advanceTimersByTimeAsync(100);
		expect(a.info.status).toBe('saving');
		a.schedule(2);
		await vi.advanceTimersByTimeAsync(1000);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(saved).toEqual([1]);
		expect(a.info.status).toBe('pending');
		await vi.advanceTimersByTimeAsync(100);
		release();
		await vi.advanceTimersByTimeAsync(0);
		expect(saved).toEqual([1, 2]);
		expect(a.info.status).toBe('saved');
		expect(maxInFlight).toBe(1);
	});

	it('on a full disk: shows the error, retries on a timer and on the next change, keeps the newest', async () => {
		const r = recorder();
		const infos: AutosaveInfo[] = [];
		const a = createAutosaver(r.save, { delayMs: 500, retryMs: 3000 });
		a.subscribe((i) => infos.push(i));
		r.fail(() => new StorageFullError());
		a.schedule(1);
		await vi.advanceTimersByTimeAsync(500);
		expect(a.info.status).toBe('error');
		expect(a.info.message).toMatch(/full/);
		expect(a.info.error).toBeInstanceOf(StorageFullError);

		await vi.advanceTimersByTimeAsync(3000); // timed retry, still full
		expect(r.calls).toEqual([1, 1]);

		a.schedule(2); // a newer state while the disk is full
		expect(a.info.status).toBe('error'); // the warning stays up
		await vi.advanceTimersByTimeAsync(500); // retried on the change, still full
		expect(r.calls).toEqual([1, 1, 2]);
		expect(a.dirty).toBe(true);

		r.fail(undefined); // space freed
		await vi.advanceTimersByTimeAsync(3000);
		expect(r.saved).toEqual([2]); // the newest, not the stale 1
		expect(a.info).toMatchObject({ status: 'saved', message: '' });
		await vi.advanceTimersByTimeAsync(20_000);
		expect(r.calls).toHaveLength(4); // no retries once saved
	});

	it('other errors are shown and retried only on the next change', async () => {
		const r = recorder();
		const a = createAutosaver(r.save, { delayMs: 100, retryMs: 1000 });
		r.fail(() => new ConflictError('s', 1, 2, 'other'));
		a.schedule(1);
		await vi.advanceTimersByTimeAsync(100);
		expect(a.info.status).toBe('error');
		expect(a.info.message).toMatch(/another tab/);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(r.calls).toEqual([1]);
		r.fail(undefined);
		a.schedule(2);
		await vi.advanceTimersByTimeAsync(100);
		expect(r.saved).toEqual([2]);
	});

	it('flush() saves immediately and waits for a save in flight', async () => {
		const r = recorder();
		const a = createAutosaver(r.save, { delayMs: 500 });
		a.schedule(1);
		await a.flush();
		expect(r.saved).toEqual([1]);
		expect(a.info.status).toBe('saved');
		await a.flush(); // nothing pending: no extra save
		expect(r.calls).toEqual([1]);
		await vi.advanceTimersByTimeAsync(1000);
		expect(r.calls).toEqual([1]); // the cancelled debounce does not fire a second save
	});

	it('dispose() stops everything', async () => {
		const r = recorder();
		const a = createAutosaver(r.save, { delayMs: 100 });
		const seen: string[] = [];
		a.subscribe((i) => seen.push(i.status));
		a.schedule(1);
		a.dispose();
		a.schedule(2);
		await vi.advanceTimersByTimeAsync(1000);
		expect(r.calls).toEqual([]);
		expect(seen).toEqual(['saved', 'pending']);
	});
});
