// srlab offline: on install, this build's app shell, assets, vendored files (tfjs wasm binaries,
// face-api nets) and every model's weights go into one cache (about 16 MB: a single notebook already
// loads 3–8 MB of weights, and offline every notebook should open, so all of them, not lazily);
// files are then served cache-first, pages network-first with the cached copy as fallback, and
// old versions' caches are dropped on activate. Cached weights are still checked by the model
// loader (size, sha256, manifest hash in the card) like any download. Every response handed out
// carries COOP/COEP (swPolicy.withIsolation), so a host that cannot send them still gets threads.
/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, prerendered, version } from '$service-worker';
import { SHELL, cacheName, isOurCache, pageKey, strategyFor, withIsolation } from '$lib/offline/swPolicy';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = cacheName(version);
const ASSETS = [...build, ...files];
const PRECACHED = new Set(ASSETS);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			// all or nothing: a half-filled cache would pass for offline-ready
			await cache.addAll([...ASSETS, ...prerendered]);
			// the SPA shell exists in built sites only (not under `vite dev`)
			await cache.add(SHELL).catch(() => {});
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const name of await caches.keys()) if (isOurCache(name) && name !== CACHE) await caches.delete(name);
			// control the page that installed us now, so it works offline without a reload
			await sw.clients.claim();
		})()
	);
});

async function cacheFirst(request: Request, url: URL): Promise<Response> {
	const cache = await caches.open(CACHE);
	const hit = await cache.match(url.pathname);
	if (hit) return hit;
	const res = await fetch(request);
	if (res.ok) await cache.put(url.pathname, res.clone());
	return res;
}

async function networkFirst(request: Request, url: URL, navigation: boolean): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const res = await fetch(request);
		if (res.ok && navigation) await cache.put(pageKey(url), res.clone());
		return res;
	} catch (e) {
		const hit = (await cache.match(pageKey(url))) ?? (navigation ? await cache.match(SHELL) : undefined);
		if (hit) return hit;
		if (navigation) return new Response('srlab is offline and this page was not saved for offline use.', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
		throw e;
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	const navigation = request.mode === 'navigate';
	const strategy = strategyFor(url, sw.location.origin, PRECACHED, navigation);
	if (strategy === 'network') return;
	const answer = strategy === 'cache-first' ? cacheFirst(request, url) : networkFirst(request, url, navigation);
	event.respondWith(answer.then(withIsolation));
});
