import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static site: every page is prerendered as a shell and the app runs client-side
		// (tfjs needs the browser). 200.html serves unknown paths as the SPA.
		adapter: adapter({ fallback: '200.html' }),
		// No inline scripts but SvelteKit's own (hashed), no eval; WebAssembly may compile (tfjs wasm).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:', 'mediastream:'],
				'connect-src': ['self', 'data:', 'blob:'],
				'worker-src': ['self', 'blob:'],
				'font-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		},
		alias: { $cells: 'src/cells', $notebooks: 'src/notebooks', $models: 'src/models' }
	}
};
