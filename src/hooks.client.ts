// Runs once in the browser before SvelteKit's router reads the address.
import type { ClientInit } from '@sveltejs/kit';
import { repairHash } from '$lib/links/hash';
import { browserIsolationEnv, reloadForIsolation } from '$lib/offline/isolationReload';

export const init: ClientInit = () => {
	const hash = repairHash(location.hash);
	if (hash !== null) history.replaceState(history.state, '', location.pathname + location.search + hash);
	// static hosts without COOP/COEP: once the offline service worker adds them, reload to get threads
	reloadForIsolation(browserIsolationEnv());
};
