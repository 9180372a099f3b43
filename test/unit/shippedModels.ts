// The shipped models (static/weights/<name>/) loaded in Node through the app's own loader
// (src/models/load.ts), with fetch served from the repository's files.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { modelLoader, type ModelSource } from '../../src/models/load';
import { MODELS, type Model, type ModelName } from '../../src/models/catalog';

export const WEIGHTS_DIR = resolve('static/weights');

/** fetch over a folder laid out like /weights/ (a missing file answers 404). */
export function folderFetch(dir = WEIGHTS_DIR): typeof fetch {
	return (async (u: RequestInfo | URL) => {
		const p = join(dir, String(u).replace(/^\/weights\//, ''));
		if (!existsSync(p)) return new Response('no', { status: 404 });
		return new Response(new Uint8Array(readFileSync(p)));
	}) as typeof fetch;
}

export const haveModel = (name: ModelName) => existsSync(join(WEIGHTS_DIR, name, 'model.json'));

/** A shipped model, as the app's loader gives it (weights, card, info). */
export function shippedModel<N extends ModelName>(name: N): Promise<Model<N>> {
	return modelLoader(MODELS[name] as ModelSource<unknown, unknown>, { root: '/weights/', fetch: folderFetch() })({ signal: new AbortController().signal }) as Promise<Model<N>>;
}
