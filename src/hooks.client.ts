// Runs once in the browser before SvelteKit's router reads the address.
import type { ClientInit } from '@sveltejs/kit';
import { repairHash } from '$lib/links/hash';

export const init: ClientInit = () => {
	const hash = repairHash(location.hash);
	if (hash !== null) history.replaceState(history.state, '', location.pathname + location.search + hash);
};
