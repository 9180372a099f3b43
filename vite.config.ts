import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
	// the SR-NAM search worker (src/lib/srnam/searchWorker.ts) imports backends lazily: ES module worker
	worker: { format: 'es' },
	test: {
		include: ['test/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
