// What the service worker (src/service-worker.ts) does with one request, and the isolation
// headers it adds. Plain functions of URLs and Responses, so they are unit-tested in Node.

/**
 * cache-first: a file of this build (hashed /_app/immutable/*, static/: vendor, weights, icons),
 * the same bytes until the next version; network-first: pages (fresh when online, the cached
 * copy offline); network: anything not ours (left to the browser).
 */
export type Strategy = 'cache-first' | 'network-first' | 'network';

export function strategyFor(url: URL, scopeOrigin: string, precached: ReadonlySet<string>, navigation: boolean): Strategy {
	if (url.origin !== scopeOrigin) return 'network';
	if (navigation) return 'network-first';
	if (precached.has(url.pathname)) return 'cache-first';
	return 'network-first';
}

/**
 * Cross-origin isolation for hosts that cannot send headers (the coi-serviceworker technique, our
 * own code): the page the worker hands out says COOP/COEP itself, so it gets SharedArrayBuffer and
 * tfjs wasm its threads. CORP lets each subresource load under COEP require-corp.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

/** The response with the isolation headers it lacks; opaque and error-free-of-body ones as they are. */
export function withIsolation(res: Response): Response {
	if (res.type === 'opaque' || res.type === 'opaqueredirect' || res.status === 0) return res;
	const missing = Object.entries(ISOLATION_HEADERS).filter(([k]) => !res.headers.has(k));
	if (!missing.length) return res;
	const headers = new Headers(res.headers);
	for (const [k, v] of missing) headers.set(k, v);
	// a 1xx/204/304 must not get a body; the rest keep their stream
	const bodyless = res.status === 204 || res.status === 304;
	return new Response(bodyless ? null : res.body, { status: res.status, statusText: res.statusText, headers });
}

/** Where a page's cached copy lives: its path (no query, no hash); the SPA shell answers the rest. */
export function pageKey(url: URL): string {
	return url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
}

/** The SPA shell (adapter-static's fallback page): any page route the build did not prerender. */
export const SHELL = '/200.html';

/** Cache name of one build: a new version gets a new cache and the activate step drops the rest. */
export const cacheName = (version: string) => `srlab-${version}`;
export const isOurCache = (name: string) => name.startsWith('srlab-');
