// Node-side weight loading (unit tests, benchmarks): the same verification and decoding as
// the browser loader, reading model.json and shards from a directory. Kept apart from
// weights.ts so the browser bundle never imports node:fs.

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadWeightsFrom, type LoadOptions, type ModelJson, type NamedWeights, type WeightsSource } from './weights';

export function dirSource(dir: string, name = basename(dir)): WeightsSource {
	return {
		name,
		readModelJson: async () => JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')),
		async readShard(path, onBytes) {
			const b = await readFile(join(dir, path));
			onBytes(b.byteLength);
			return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
		}
	};
}

/** Load dir/model.json and its shards; opts.manifestSha256 (e.g. dir/card.json's weights_manifest_sha256) is checked when given. */
export async function loadWeightsFromDir(
	dir: string,
	opts: LoadOptions = {}
): Promise<{ weights: NamedWeights; modelJson: ModelJson; manifestSha256: string }> {
	return loadWeightsFrom(dirSource(dir), opts);
}
