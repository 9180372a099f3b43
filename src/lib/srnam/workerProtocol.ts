// The message protocol between the page and the SR-NAM search worker (searchWorker.ts), and
// the worker-side server. The search itself is search.ts unchanged; the server only maps
// messages onto createSearch/resumeSearch and a LatentSearch's methods, so it also runs in
// Node over a MessageChannel (unit tests). Renders and step losses travel as transferred
// buffers; history records are copied (the worker keeps its own). workerNetsLoader is how the
// worker loads G and D: the page's files, checked against the page's manifest hashes.

import { disposeWeights, fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import type { AdamConfig } from './adam';
import type { HistoryState, LatentRecord } from './history';
import { learnedDegrader, proganGenerator, type DegraderFn, type GeneratorFn } from './models';
import { createSearch, resumeSearch } from './search';
import type { LatentSearch, Render, SearchOptions, SearchState, StepReport } from './types';

/** SearchOptions that can cross a thread (no functions). */
export type PlainSearchOptions = Omit<SearchOptions, 'generator' | 'degrader' | 'gpu'>;

export type Request =
	| { id: number; sid: number; op: 'create'; nets: unknown; options: PlainSearchOptions; state?: SearchState }
	| { id: number; sid: number; op: 'step'; n: number }
	| { id: number; sid: number; op: 'pause'; target: number }
	| { id: number; sid: number; op: 'snapshot' }
	| { id: number; sid: number; op: 'restore'; step: number }
	| { id: number; sid: number; op: 'setAdam'; config: Partial<AdamConfig> }
	| { id: number; sid: number; op: 'serialise'; history: boolean }
	| { id: number; sid: number; op: 'dispose' };

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Created {
	K: number;
	latentDim: number;
	noiseDim: number;
	stepCount: number;
	history: HistoryState;
}

export interface StepReply extends StepReport {
	/** Latent records the step stored (the page mirrors the history). */
	records: LatentRecord[];
}

/** The two networks for a `nets` description (the worker loads weights; tests inject functions). */
export type NetsLoader = (nets: unknown) => Promise<{ generator: GeneratorFn; degrader: DegraderFn }>;

/** The worker's `nets`: where G's and D's model.json live, and the manifest hashes they must have. */
export interface WorkerNets {
	generator: string;
	degrader: string;
	/** manifestSha256 of the page's loaded models (= their cards' weights_manifest_sha256): the worker
	 *  refuses other weights, so it never searches with a G or D other than the page's. */
	generatorManifest?: string;
	degraderManifest?: string;
}

/**
 * The worker's NetsLoader: G and D from their URLs with the usual size + sha256 checks and the
 * page's manifest hashes (models/weights.ts), each kept per URL and hash; a failed load is retried
 * by the next search.
 */
export function workerNetsLoader(fetchFn?: typeof fetch): NetsLoader {
	const loaded = new Map<string, Promise<NamedWeights>>();
	const keyOf = (url: string, manifestSha256: string | undefined) => `${url}\n${manifestSha256 ?? ''}`;
	const weights = (url: string, name: string, manifestSha256: string | undefined) => {
		const key = keyOf(url, manifestSha256);
		let p = loaded.get(key);
		if (!p) {
			p = loadWeightsFrom(fetchSource(url, name, fetchFn), { manifestSha256 }).then((r) => r.weights);
			p.catch(() => loaded.delete(key));
			loaded.set(key, p);
		}
		return p;
	};
	return async (nets) => {
		const n = nets as WorkerNets;
		const want = (url: string, name: string, manifest: string | undefined) => {
			const key = keyOf(url, manifest);
			return { key, fresh: !loaded.has(key), p: weights(url, name, manifest) };
		};
		const wanted = [want(n.generator, 'progan', n.generatorManifest), want(n.degrader, 'degrader', n.degraderManifest)];
		// both settle before an answer: when one net is refused, the other one this call loaded is
		// freed and forgotten (one an earlier search already uses stays), so a failed search leaves
		// no tensors behind, whatever finished first
		const settled = await Promise.allSettled(wanted.map((w) => w.p));
		const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
		if (failed) {
			settled.forEach((r, i) => {
				if (r.status !== 'fulfilled' || !wanted[i].fresh) return;
				loaded.delete(wanted[i].key);
				disposeWeights(r.value);
			});
			throw failed.reason;
		}
		const [g, d] = settled.map((r) => (r as PromiseFulfilledResult<NamedWeights>).value);
		return { generator: proganGenerator(g), degrader: learnedDegrader(d) };
	};
}

export interface Port {
	postMessage(msg: unknown, transfer?: Transferable[]): void;
	addEventListener(type: 'message', l: (e: MessageEvent) => void): void;
}

function renderBuffers(r: Render): Transferable[] {
	// every array of a Render is its own fresh slice (search.ts render), safe to hand over
	return [...r.candidates, ...r.degraded].map((i) => i.data.buffer as ArrayBuffer).concat([r.losses.buffer, r.z.buffer, r.noise.buffer] as ArrayBuffer[]);
}

/** Serve searches on `port` until it closes. */
export function serveSearches(port: Port, loadNets: NetsLoader): void {
	const searches = new Map<number, LatentSearch>();
	const pauses = new Map<number, AbortController>();

	async function handle(m: Request): Promise<{ value: unknown; transfer?: Transferable[] }> {
		if (m.op === 'create') {
			const nets = await loadNets(m.nets);
			const o: SearchOptions = { ...m.options, ...nets };
			const s = m.state ? await resumeSearch(o, m.state) : createSearch(o);
			searches.set(m.sid, s);
			const created: Created = { K: s.K, latentDim: s.latentDim, noiseDim: s.noiseDim, stepCount: s.stepCount, history: s.history.serialise() };
			return { value: created };
		}
		if (m.op === 'pause') {
			pauses.get(m.target)?.abort();
			return { value: undefined };
		}
		const s = searches.get(m.sid);
		if (!s) throw new Error('srnam: search was disposed');
		switch (m.op) {
			case 'step': {
				const ctl = new AbortController();
				pauses.set(m.id, ctl);
				try {
					const before = s.history.latentSteps().length;
					const r = await s.step(m.n, { signal: ctl.signal });
					const records = s.history.latentRecords().slice(before).map((x) => ({ step: x.step, z: x.z.slice(), noise: x.noise?.slice() }));
					const value: StepReply = { ...r, records };
					return { value, transfer: [r.losses.buffer as ArrayBuffer, r.last.buffer as ArrayBuffer] };
				} finally {
					pauses.delete(m.id);
				}
			}
			case 'snapshot': {
				const r = await s.snapshot();
				return { value: r, transfer: renderBuffers(r) };
			}
			case 'restore': {
				const r = await s.restore(m.step);
				return { value: r, transfer: renderBuffers(r) };
			}
			case 'setAdam':
				s.setAdam(m.config);
				return { value: undefined };
			case 'serialise':
				return { value: await s.serialise({ history: m.history }) };
			case 'dispose':
				searches.delete(m.sid);
				await s.dispose();
				return { value: undefined };
		}
	}

	port.addEventListener('message', (e: MessageEvent) => {
		const m = e.data as Request;
		handle(m).then(
			({ value, transfer }) => port.postMessage({ id: m.id, ok: true, value } satisfies Reply, transfer ?? []),
			(err: unknown) => port.postMessage({ id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Reply)
		);
	});
}
