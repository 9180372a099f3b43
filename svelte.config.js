import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A static site: every page is prerendered as a shell and the app runs client-side
		// (tfjs needs the browser). 200.html serves unknown paths as the SPA.
		adapter: adapter({ fallback: '200.html' }),
		alias: { $cells: 'src/cells', $notebooks: 'src/notebooks', $models: 'src/models' }
	}
};
