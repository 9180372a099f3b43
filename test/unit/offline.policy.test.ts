// The service worker's choices (src/lib/offline/swPolicy.ts) and the one-time reload that gives a
// header-less host cross-origin isolation (src/lib/offline/isolationReload.ts).
import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, SHELL, cacheName, isOurCache, pageKey, strategyFor, withIsolation } from '../../src/lib/offline/swPolicy';
import { RELOADED_KEY, reloadForIsolation, type IsolationEnv } from '../../src/lib/offline/isolationReload';

const ORIGIN = 'https://lab.example';
const PRE = new Set(['/_app/immutable/entry/start.abc.js', '/weights/progan/group1-shard1of1.bin', '/vendor/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm']);
const at = (p: string) => new URL(p, ORIGIN);

describe('service worker strategy', () => {
	it('serves files of the build cache-first', () => {
		for (const p of PRE) expect(strategyFor(at(p), ORIGIN, PRE, false), p).toBe('cache-first');
		expect(strategyFor(at('/weights/progan/group1-shard1of1.bin?x=1'), ORIGIN, PRE, false)).toBe('cache-first');
	});
	it('serves pages network-first (fresh online, cached offline), whatever their path', () => {
		expect(strategyFor(at('/notebooks/srnam?backend=wasm'), ORIGIN, PRE, true)).toBe('network-first');
		expect(strategyFor(at('/_app/immutable/entry/start.abc.js'), ORIGIN, PRE, true)).toBe('network-first');
		expect(strategyFor(at('/_app/version.json'), ORIGIN, PRE, false)).toBe('network-first');
	});
	it('leaves other origins to the browser', () => {
		expect(strategyFor(new URL('https://cdn.example/weights/progan/group1-shard1of1.bin'), ORIGIN, PRE, false)).toBe('network');
		expect(strategyFor(new URL('https://cdn.example/'), ORIGIN, PRE, true)).toBe('network');
	});
	it('keys pages by path, without query or trailing slash', () => {
		expect(pageKey(at('/notebooks/srnam/?session=a#s=b'))).toBe('/notebooks/srnam');
		expect(pageKey(at('/'))).toBe('/');
		expect(SHELL).toBe('/200.html');
	});
	it('names caches per version and recognises only its own', () => {
		expect(cacheName('123')).toBe('srlab-123');
		expect(isOurCache(cacheName('1'))).toBe(true);
		expect(isOurCache('other-app')).toBe(false);
	});
});

describe('isolation headers added by the worker', () => {
	it('adds COOP/COEP/CORP to a response without them, keeping status, type and body', async () => {
		const res = withIsolation(new Response('page', { status: 200, headers: { 'Content-Type': 'text/html' } }));
		for (const [k, v] of Object.entries(ISOLATION_HEADERS)) expect(res.headers.get(k), k).toBe(v);
		expect(res.headers.get('content-type')).toBe('text/html');
		expect(await res.text()).toBe('page');
	});
	it('keeps headers a host already sent, and bodyless statuses bodyless', async () => {
		const sent = new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' } });
		expect(withIsolation(sent).headers.get('cross-origin-embedder-policy')).toBe('credentialless');
		const all = new Response('x', { headers: ISOLATION_HEADERS });
		expect(withIsolation(all)).toBe(all);
		const nc = withIsolation(new Response(null, { status: 304 }));
		expect(nc.status).toBe(304);
		expect(nc.headers.get('cross-origin-opener-policy')).toBe('same-origin');
	});
	it('passes an error response through with its status', () => {
		expect(withIsolation(new Response('nope', { status: 404 })).status).toBe(404);
		const err = Response.error();
		expect(withIsolation(err)).toBe(err);
	});
});

describe('one reload for isolation', () => {
	function env(o: { isolated?: boolean; controlled?: boolean; sw?: boolean; stored?: string }) {
		const listeners: (() => void)[] = [];
		const store = new Map<string, string>(o.stored ? [[RELOADED_KEY, o.stored]] : []);
		const state = { reloads: 0, controlled: o.controlled ?? false };
		const e: IsolationEnv = {
			isolated: () => o.isolated ?? false,
			serviceWorker: o.sw === false ? null : ({ get controller() { return state.controlled ? ({} as ServiceWorker) : null; }, addEventListener: (_: string, l: () => void) => listeners.push(l) } as unknown as IsolationEnv['serviceWorker']),
			store: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
			reload: () => void state.reloads++
		};
		return { e, state, fire: () => listeners.forEach((l) => l()) };
	}
	it('reloads once when the worker takes control of a non-isolated page', () => {
		const { e, state, fire } = env({});
		reloadForIsolation(e);
		expect(state.reloads).toBe(0);
		fire();
		fire();
		expect(state.reloads).toBe(1);
	});
	it('reloads at once when already controlled but not isolated; never twice in a tab', () => {
		const a = env({ controlled: true });
		reloadForIsolation(a.e);
		expect(a.state.reloads).toBe(1);
		const b = env({ controlled: true, stored: '1' });
		reloadForIsolation(b.e);
		expect(b.state.reloads).toBe(0);
	});
	it('does nothing on an isolated page or without service workers', () => {
		const a = env({ isolated: true, controlled: true });
		reloadForIsolation(a.e);
		a.fire();
		expect(a.state.reloads).toBe(0);
		const b = env({ sw: false });
		reloadForIsolation(b.e);
		expect(b.state.reloads).toBe(0);
	});
});
