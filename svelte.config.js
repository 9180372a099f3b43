import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// SRLAB_BUILD_DIR builds into another folder (and keeps SvelteKit's generated files beside it),
// so several builds can run side by side without clobbering build/. Give a folder inside the
// repository (e.g. build-mine): the generated server code must resolve node_modules.
const out = process.env.SRLAB_BUILD_DIR;

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static site: every page is prerendered as a shell and the app runs client-side
		// (tfjs needs the browser). 200.html serves unknown paths as the SPA.
		adapter: adapter({ pages: out ?? 'build', assets: out ?? 'build', fallback: '200.html' }),
		outDir: out ? `${out}.kit` : '.svelte-kit',
		// No inline scripts but SvelteKit's own (hashed), no eval; WebAssembly may compile (tfjs wasm).
		// blob: scripts: tfjs wasm's threads are workers that importScripts() its Emscripten glue from a
		// blob: URL it makes itself (only code already running here can mint one); workers inherit this policy.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval', 'blob:'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:', 'mediastream:'],
				'connect-src': ['self', 'data:', 'blob:'],
				'worker-src': ['self', 'blob:'],
				'manifest-src': ['self'],
				'font-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		},
		alias: { $cells: 'src/cells', $notebooks: 'src/notebooks', $models: 'src/models' }
	}
};
