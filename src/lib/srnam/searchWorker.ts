// Worker entry of the SR-NAM search: one tfjs Adam step is one backward pass that cannot be
// split (~1 s on wasm at K = 2), so it runs here and the page's main thread stays free for
// input. Starts the page's backend with the same kernel fixes (backendManager.startBackend),
// loads G and D itself with the usual size + sha256 checks (models/weights.ts), then serves
// workerProtocol.ts. The first message is {backend}; it is answered {ready} or {failed}. A lost
// GPU device is reported as {lost}: the page then retires this worker (workerHost.ts).

import * as tf from '@tensorflow/tfjs';
import { onBackendChange, startBackend } from '$lib/backend/backendManager';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { learnedDegrader, proganGenerator } from './models';
import { serveSearches, type Port } from './workerProtocol';

/** Where the networks' model.json live (the page's PROGAN_DIR and DEGRADER_DIR). */
export interface WorkerNets {
	generator: string;
	degrader: string;
}

const scope = self as unknown as Port & { removeEventListener(t: 'message', l: (e: MessageEvent) => void): void };
const loaded = new Map<string, Promise<NamedWeights>>();

function weights(url: string, name: string): Promise<NamedWeights> {
	let p = loaded.get(url);
	if (!p) {
		p = loadWeightsFrom(fetchSource(url, name)).then((r) => r.weights);
		p.catch(() => loaded.delete(url)); // a failed load is retried by the next search
		loaded.set(url, p);
	}
	return p;
}

function first(e: MessageEvent) {
	scope.removeEventListener('message', first);
	const backend = String((e.data as { backend: string }).backend);
	startBackend(backend).then(
		(info) => {
			if (info.status !== 'ready' || info.name !== backend) {
				scope.postMessage({ failed: `the worker could not start ${backend} (${info.message ?? info.status})` });
				return;
			}
			serveSearches(scope, async (nets) => {
				const n = nets as WorkerNets;
				const [g, d] = await Promise.all([weights(n.generator, 'progan'), weights(n.degrader, 'degrader')]);
				return { generator: proganGenerator(g), degrader: learnedDegrader(d) };
			});
			scope.postMessage({ ready: tf.getBackend() });
			// this worker's searches held tensors on the lost device: the page drops the worker and resumes
			onBackendChange((now) => {
				if (now.status === 'lost') scope.postMessage({ lost: now.message ?? 'the GPU device was lost' });
			});
		},
		(err: unknown) => scope.postMessage({ failed: err instanceof Error ? err.message : String(err) })
	);
}
scope.addEventListener('message', first);
