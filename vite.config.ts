import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
	test: {
		include: ['test/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000
	}
});
