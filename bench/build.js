// Bundles the TypeScript bench sides with esbuild (shipped with vite): bench/.build/node.mjs
// (Node; tfjs stays external so its wasm files resolve from node_modules) and
// bench/.build/browser.js (the page bench/browser.html loads).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alias = { $lib: join(root, 'src/lib') };

export async function buildBench() {
	const out = join(root, 'bench/.build');
	await build({
		entryPoints: [join(root, 'bench/node-entry.ts')],
		outfile: join(out, 'node.mjs'),
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		external: ['@tensorflow/*', 'webgpu'],
		alias,
		logLevel: 'warning'
	});
	await build({
		entryPoints: [join(root, 'bench/browser-entry.ts')],
		outfile: join(out, 'browser.js'),
		bundle: true,
		platform: 'browser',
		format: 'esm',
		target: 'es2022',
		alias,
		logLevel: 'warning'
	});
	return out;
}
