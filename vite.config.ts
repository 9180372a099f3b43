import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
	plugins: [sveltekit()],
	optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
	// the SR-NAM search worker (src/lib/srnam/searchWorker.ts) imports backends lazily: ES module worker
	worker: { format: 'es' },
	// cross-origin isolation, as scripts/serve.js sends it: tfjs wasm's SIMD + threads build needs SharedArrayBuffer
	server: { headers: isolation },
	preview: { headers: isolation },
	test: {
		include: ['test/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
