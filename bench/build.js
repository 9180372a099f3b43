// Bundles the TypeScript bench sides with esbuild (shipped with vite): bench/.build/node.mjs
// (Node; tfjs stays external so its wasm files resolve from node_modules) and
// bench/.build/browser.js (the page bench/browser.html loads).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alias = { $lib: join(root, 'src/lib') };

/**
 * selfContained: bundle tfjs into node.mjs too (only the native `webgpu` package stays
 * external), for a GPU machine that has no node_modules (bench/README.md, "On a GPU").
 */
export async function buildBench({ selfContained = false } = {}) {
	const out = join(root, 'bench/.build');
	await build({
		entryPoints: [join(root, 'bench/node-entry.ts')],
		outfile: join(out, 'node.mjs'),
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		external: selfContained ? ['webgpu', '@tensorflow/tfjs-backend-wasm'] : ['@tensorflow/*', 'webgpu'],
		// bundled CommonJS inside ESM needs a require
		banner: selfContained ? { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" } : undefined,
		alias,
		logLevel: 'warning'
	});
	if (selfContained) return out;
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
