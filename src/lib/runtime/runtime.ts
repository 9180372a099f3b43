// The reactive notebook runtime: a data-flow graph of cells. Changing a cell's parameters or
// image invalidates it and everything downstream; stale runs are aborted and their results
// dropped; an error stays in its cell (dependents wait, with a message saying on what).
// No DOM here: it is unit-tested in Node.

import type { ImageInput, ParamValues } from '../notebook/types';
import { AbortedError, GpuQueue, isAbort } from './gpuQueue';

export type CellStatus = 'pending' | 'running' | 'done' | 'error' | 'blocked';

export interface CellRunState {
	status: CellStatus;
	value?: unknown;
	error?: string;
	/** How many runs completed (a cheap way for tests and UI to see re-runs). */
	runs: number;
	/** Duration of the last completed run in ms. */
	ms?: number;
	/** Progress of the running computation, 0..1, if the cell reports it. */
	progress?: number;
}

export interface ComputeContext {
	/** The id of the cell being computed (keys per-cell data a view keeps outside params). */
	cellId?: string;
	params: ParamValues;
	inputs: Record<string, unknown>;
	image?: ImageInput;
	signal: AbortSignal;
	/** Run GPU work through the page's single queue. */
	gpu<R>(task: () => Promise<R> | R): Promise<R>;
	/** Report progress (0..1) of long work. */
	progress(fraction: number): void;
}

export type ComputeFn = (ctx: ComputeContext) => Promise<unknown> | unknown;

export interface RuntimeCell {
	id: string;
	title?: string;
	/** local input name → upstream cell id */
	inputs?: Record<string, string>;
	params?: ParamValues;
	image?: ImageInput;
	compute: ComputeFn;
}

type Listener = (s: CellRunState) => void;

interface Node {
	cell: RuntimeCell;
	params: ParamValues;
	image?: ImageInput;
	state: CellRunState;
	version: number;
	controller?: AbortController;
	listeners: Set<Listener>;
	dependents: string[];
}

export class NotebookRuntime {
	private nodes = new Map<string, Node>();
	private order: string[] = [];
	private scheduled = false;
	private disposed = false;

	constructor(
		cells: RuntimeCell[],
		readonly gpuQueue: GpuQueue = new GpuQueue()
	) {
		for (const cell of cells) {
			if (this.nodes.has(cell.id)) throw new Error(`duplicate cell id "${cell.id}"`);
			this.nodes.set(cell.id, {
				cell,
				params: { ...(cell.params ?? {}) },
				image: cell.image,
				state: { status: 'pending', runs: 0 },
				version: 0,
				listeners: new Set(),
				dependents: []
			});
		}
		for (const cell of cells) {
			for (const up of Object.values(cell.inputs ?? {})) {
				const n = this.nodes.get(up);
				if (!n) throw new Error(`cell "${cell.id}" reads unknown cell "${up}"`);
				n.dependents.push(cell.id);
			}
		}
		this.order = topologicalOrder(cells);
		this.schedule();
	}

	get(id: string): CellRunState {
		return this.node(id).state;
	}

	params(id: string): ParamValues {
		return { ...this.node(id).params };
	}

	subscribe(id: string, listener: Listener): () => void {
		const n = this.node(id);
		n.listeners.add(listener);
		listener(n.state);
		return () => n.listeners.delete(listener);
	}

	/** Merge new parameter values into a cell and re-run it and its dependents. */
	setParams(id: string, values: ParamValues): void {
		const n = this.node(id);
		n.params = { ...n.params, ...values };
		this.invalidate(id);
	}

	setImage(id: string, image: ImageInput): void {
		this.node(id).image = image;
		this.invalidate(id);
	}

	/** Re-run a cell (and downstream) with unchanged inputs, e.g. after a backend change. */
	rerun(id?: string): void {
		if (id) this.invalidate(id);
		else for (const cid of this.order) this.invalidate(cid);
	}

	/** Resolves when no cell is pending or running. */
	async idle(): Promise<void> {
		while (!this.disposed) {
			const busy = this.order.some((id) => {
				const s = this.node(id).state.status;
				return s === 'pending' || s === 'running';
			});
			if (!busy) return;
			await new Promise((r) => setTimeout(r, 5));
		}
	}

	dispose(): void {
		this.disposed = true;
		for (const n of this.nodes.values()) {
			n.controller?.abort();
			n.listeners.clear();
		}
	}

	private node(id: string): Node {
		const n = this.nodes.get(id);
		if (!n) throw new Error(`unknown cell "${id}"`);
		return n;
	}

	private invalidate(id: string): void {
		const seen = new Set<string>();
		const visit = (cid: string) => {
			if (seen.has(cid)) return;
			seen.add(cid);
			const n = this.node(cid);
			n.version++;
			n.controller?.abort();
			n.controller = undefined;
			this.update(n, { status: 'pending', error: undefined, progress: undefined });
			n.dependents.forEach(visit);
		};
		visit(id);
		this.schedule();
	}

	private update(n: Node, patch: Partial<CellRunState>): void {
		n.state = { ...n.state, ...patch };
		for (const l of n.listeners) l(n.state);
	}

	// Coalesce every change made in one tick into one pass over the graph.
	private schedule(): void {
		if (this.scheduled || this.disposed) return;
		this.scheduled = true;
		queueMicrotask(() => {
			this.scheduled = false;
			this.pass();
		});
	}

	private pass(): void {
		for (const id of this.order) {
			const n = this.node(id);
			if (n.state.status !== 'pending') continue;
			const ups = Object.values(n.cell.inputs ?? {}).map((u) => this.node(u));
			const failed = ups.find((u) => u.state.status === 'error' || u.state.status === 'blocked');
			if (failed) {
				const name = failed.cell.title ?? failed.cell.id;
				this.update(n, { status: 'blocked', error: `Waiting for “${name}”, which has an error.` });
				continue;
			}
			if (ups.every((u) => u.state.status === 'done')) this.start(n);
		}
	}

	private start(n: Node): void {
		const version = n.version;
		const controller = new AbortController();
		n.controller = controller;
		const inputs: Record<string, unknown> = {};
		for (const [local, up] of Object.entries(n.cell.inputs ?? {})) inputs[local] = this.node(up).state.value;
		const signal = controller.signal;
		const ctx: ComputeContext = {
			cellId: n.cell.id,
			params: { ...n.params },
			inputs,
			image: n.image,
			signal,
			gpu: (task) => this.gpuQueue.run(task, signal),
			progress: (fraction) => {
				if (n.version === version) this.update(n, { progress: fraction });
			}
		};
		this.update(n, { status: 'running', progress: undefined });
		const t0 = now();
		Promise.resolve()
			.then(() => n.cell.compute(ctx))
			.then(
				(value) => {
					if (n.version !== version || this.disposed) return; // stale: dropped
					if (signal.aborted) throw new AbortedError();
					this.update(n, { status: 'done', value, error: undefined, runs: n.state.runs + 1, ms: now() - t0, progress: undefined });
				}
			)
			.catch((e: unknown) => {
				if (n.version !== version || this.disposed || isAbort(e)) return;
				this.update(n, { status: 'error', error: errorMessage(e), progress: undefined });
			})
			.finally(() => {
				if (n.version === version) n.controller = undefined;
				this.schedule();
			});
	}
}

export function errorMessage(e: unknown): string {
	if (e instanceof Error) return e.message || e.name;
	return String(e);
}

function now(): number {
	return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function topologicalOrder(cells: RuntimeCell[]): string[] {
	const byId = new Map(cells.map((c) => [c.id, c]));
	const out: string[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (id: string) => {
		const s = state.get(id);
		if (s === 'done') return;
		if (s === 'visiting') throw new Error(`cycle through cell "${id}"`);
		state.set(id, 'visiting');
		for (const up of Object.values(byId.get(id)?.inputs ?? {})) visit(up);
		state.set(id, 'done');
		out.push(id);
	};
	cells.forEach((c) => visit(c.id));
	return out;
}
