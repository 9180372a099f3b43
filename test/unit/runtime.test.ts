import { describe, expect, it } from 'vitest';
import { NotebookRuntime, type ComputeContext } from '../../src/lib/runtime/runtime';
import { GpuQueue } from '../../src/lib/runtime/gpuQueue';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NotebookRuntime', () => {
	it('runs cells in dependency order and passes outputs downstream', async () => {
		const log: string[] = [];
		const rt = new NotebookRuntime([
			// declared out of order on purpose
			{ id: 'c', inputs: { b: 'b' }, compute: ({ inputs }) => (log.push('c'), (inputs.b as number) * 10) },
			{ id: 'a', params: { x: 2 }, compute: ({ params }) => (log.push('a'), params.x as number) },
			{ id: 'b', inputs: { a: 'a' }, compute: ({ inputs }) => (log.push('b'), (inputs.a as number) + 1) }
		]);
		await rt.idle();
		expect(log).toEqual(['a', 'b', 'c']);
		expect(rt.get('c').value).toBe(30);
		expect(rt.get('c').status).toBe('done');
	});

	it('re-runs only the changed cell and its dependents', async () => {
		const runs: Record<string, number> = { a: 0, b: 0, side: 0 };
		const rt = new NotebookRuntime([
			{ id: 'a', params: { x: 1 }, compute: ({ params }) => (runs.a++, params.x) },
			{ id: 'b', inputs: { a: 'a' }, compute: ({ inputs }) => (runs.b++, (inputs.a as number) * 2) },
			{ id: 'side', compute: () => (runs.side++, 'x') }
		]);
		await rt.idle();
		rt.setParams('a', { x: 5 });
		await rt.idle();
		expect(rt.get('b').value).toBe(10);
		expect(runs).toEqual({ a: 2, b: 2, side: 1 });
	});

	it('coalesces several changes in one tick into one run', async () => {
		let runs = 0;
		const rt = new NotebookRuntime([{ id: 'a', params: { x: 0 }, compute: ({ params }) => (runs++, params.x) }]);
		await rt.idle();
		rt.setParams('a', { x: 1 });
		rt.setParams('a', { x: 2 });
		rt.setParams('a', { x: 3 });
		await rt.idle();
		expect(runs).toBe(2);
		expect(rt.get('a').value).toBe(3);
	});

	it('aborts a stale run and drops its result', async () => {
		const aborted: number[] = [];
		const rt = new NotebookRuntime([
			{
				id: 'slow',
				params: { x: 1 },
				compute: async ({ params, signal }: ComputeContext) => {
					signal.addEventListener('abort', () => aborted.push(params.x as number));
					await sleep(params.x === 1 ? 60 : 5);
					return params.x;
				}
			}
		]);
		await sleep(10); // first run in flight
		rt.setParams('slow', { x: 2 });
		await rt.idle();
		await sleep(80); // let the stale run finish: its value must not land
		expect(aborted).toEqual([1]);
		expect(rt.get('slow').value).toBe(2);
		expect(rt.get('slow').runs).toBe(1);
	});

	it('keeps an error in its cell, blocks dependents with a message, leaves the rest working', async () => {
		const rt = new NotebookRuntime([
			{ id: 'bad', title: 'Bad cell', params: { fail: true }, compute: ({ params }) => { if (params.fail) throw new Error('boom'); return 1; } },
			{ id: 'child', inputs: { x: 'bad' }, compute: ({ inputs }) => inputs.x },
			{ id: 'ok', compute: () => 'fine' }
		]);
		await rt.idle();
		expect(rt.get('bad')).toMatchObject({ status: 'error', error: 'boom' });
		expect(rt.get('child').status).toBe('blocked');
		expect(rt.get('child').error).toContain('Bad cell');
		expect(rt.get('ok')).toMatchObject({ status: 'done', value: 'fine' });
		rt.setParams('bad', { fail: false });
		await rt.idle();
		expect(rt.get('child')).toMatchObject({ status: 'done', value: 1 });
	});

	it('notifies subscribers of state changes', async () => {
		const rt = new NotebookRuntime([{ id: 'a', compute: () => 42 }]);
		const seen: string[] = [];
		rt.subscribe('a', (s) => seen.push(s.status));
		await rt.idle();
		expect(seen[0]).toBe('pending');
		expect(seen).toContain('running');
		expect(seen.at(-1)).toBe('done');
	});

	it('rejects unknown inputs and cycles', () => {
		expect(() => new NotebookRuntime([{ id: 'a', inputs: { x: 'nope' }, compute: () => 0 }])).toThrow(/unknown cell/);
		expect(
			() =>
				new NotebookRuntime([
					{ id: 'a', inputs: { x: 'b' }, compute: () => 0 },
					{ id: 'b', inputs: { x: 'a' }, compute: () => 0 }
				])
		).toThrow(/cycle/);
	});
});

describe('GpuQueue', () => {
	it('runs tasks one at a time, in order, even when one fails', async () => {
		const q = new GpuQueue();
		let active = 0;
		let maxActive = 0;
		const order: number[] = [];
		const task = (i: number, fail = false) => async () => {
			active++;
			maxActive = Math.max(maxActive, active);
			await sleep(5);
			order.push(i);
			active--;
			if (fail) throw new Error('fail');
			return i;
		};
		const results = await Promise.allSettled([q.run(task(1)), q.run(task(2, true)), q.run(task(3))]);
		expect(order).toEqual([1, 2, 3]);
		expect(maxActive).toBe(1);
		expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
	});

	it('skips a task whose signal aborted before its turn', async () => {
		const q = new GpuQueue();
		const ran: number[] = [];
		const c = new AbortController();
		const first = q.run(async () => { await sleep(10); ran.push(1); });
		const second = q.run(() => { ran.push(2); }, c.signal);
		c.abort();
		await first;
		await expect(second).rejects.toMatchObject({ name: 'AbortError' });
		expect(ran).toEqual([1]);
		expect(q.size).toBe(0);
	});
});
