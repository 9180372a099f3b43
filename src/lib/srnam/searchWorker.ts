// Worker entry of the SR-NAM search: one tfjs Adam step is one backward pass that cannot be
// split (~1 s on wasm at K = 2), so it runs here and the page's main thread stays free for
// input. Starts the page's backend with the same kernel fixes (backendManager.startBackend),
// loads G and D itself with the usual size + sha256 checks and the page's manifest hashes
// (workerNetsLoader: the page's own G and D or an error), then serves workerProtocol.ts. The
// first message is {backend}; it is answered {ready} or {failed}. A lost GPU device is reported
// as {lost}: the page then retires this worker (workerHost.ts).

import * as tf from '@tensorflow/tfjs';
import { onBackendChange, startBackend } from '$lib/backend/backendManager';
import { serveSearches, workerNetsLoader, type Port } from './workerProtocol';

export type { WorkerNets } from './workerProtocol';

const scope = self as unknown as Port & { removeEventListener(t: 'message', l: (e: MessageEvent) => void): void };

function first(e: MessageEvent) {
	scope.removeEventListener('message', first);
	const { backend: name, wasmThreads } = e.data as { backend: string; wasmThreads?: number };
	const backend = String(name);
	startBackend(backend, { wasmThreads: typeof wasmThreads === 'number' ? wasmThreads : undefined }).then(
		(info) => {
			if (info.status !== 'ready' || info.name !== backend) {
				scope.postMessage({ failed: `the worker could not start ${backend} (${info.message ?? info.status})` });
				return;
			}
			serveSearches(scope, workerNetsLoader());
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
