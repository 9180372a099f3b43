// scripts/serve.js (npm start, the browser tests): bad requests get 400/404, never a crash or a
// file outside build/; the SPA shell answers page routes only; no other site may frame us.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const tmp = mkdtempSync(join(tmpdir(), 'srlab-serve-'));
const root = join(tmp, 'build');
let server: Server;
let port = 0;

function put(path: string, text: string) {
	mkdirSync(join(root, path, '..'), { recursive: true });
	writeFileSync(join(root, path), text);
}

/** A raw request: the path goes on the wire as written (like curl --path-as-is). */
function get(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (c) => (body += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
		});
		req.on('error', reject);
		req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${path}`))); // a crashed server never answers
		req.end();
	});
}

beforeAll(async () => {
	put('200.html', 'SPA SHELL');
	put('index.html', 'INDEX');
	put('sessions.html', 'SESSIONS PAGE');
	put('notebooks/srnam.html', 'SRNAM PAGE');
	put('weights/progan/model.json', '{"ok":1}');
	put('_app/immutable/app.js', 'js');
	// A sibling whose name starts with the build folder's: startsWith(root) alone lets it through.
	mkdirSync(join(tmp, 'build-secret'), { recursive: true });
	writeFileSync(join(tmp, 'build-secret', 'file.txt'), 'SECRET');
	process.env.SRLAB_BUILD_DIR = root;
	const { startServer } = await import('../../scripts/serve.js');
	server = await startServer(0);
	port = (server.address() as { port: number }).port;
});
afterAll(async () => {
	await new Promise((r) => server?.close(r));
	rmSync(tmp, { recursive: true, force: true });
});

describe('scripts/serve.js', () => {
	it('serves files and page routes', async () => {
		expect(await get('/')).toMatchObject({ status: 200, body: 'INDEX' });
		expect(await get('/sessions')).toMatchObject({ status: 200, body: 'SESSIONS PAGE' });
		expect(await get('/notebooks/srnam')).toMatchObject({ status: 200, body: 'SRNAM PAGE' });
		const w = await get('/weights/progan/model.json');
		expect(w).toMatchObject({ status: 200, body: '{"ok":1}' });
		expect(w.headers['content-type']).toBe('application/json');
	});

	it('answers a malformed %-escape with 400 and keeps running', async () => {
		expect((await get('/%E0%A4%A')).status).toBe(400);
		expect((await get('/notebooks/%E0%A4%A')).status).toBe(400);
		expect(await get('/')).toMatchObject({ status: 200, body: 'INDEX' });
	});

	it('never serves a file outside build/ (encoded slashes, a sibling folder with the same prefix)', async () => {
		for (const p of ['/..%2fbuild-secret%2ffile.txt', '/%2e%2e%2fbuild-secret%2ffile.txt', '/..%5cbuild-secret%5cfile.txt', '/a%00b']) {
			const r = await get(p);
			expect(r.body, p).not.toContain('SECRET');
			expect([400, 404], p).toContain(r.status);
		}
	});

	it('404s missing assets instead of answering with the SPA shell', async () => {
		for (const p of ['/weights/x/model.json', '/weights/progan/gone.bin', '/_app/immutable/missing.js', '/_app/version', '/favicon.ico', '/notebooks/srnam.png']) {
			const r = await get(p);
			expect(r.status, p).toBe(404);
			expect(r.body, p).not.toContain('SPA SHELL');
		}
	});

	it('still answers unknown page routes with the SPA shell (200.html)', async () => {
		expect(await get('/notebooks/not-yet-built')).toMatchObject({ status: 200, body: 'SPA SHELL' });
		expect(await get('/sessions/')).toMatchObject({ status: 200, body: 'SPA SHELL' });
	});

	it('forbids framing by other sites', async () => {
		for (const p of ['/sessions', '/notebooks/other', '/weights/progan/model.json', '/nope.js']) {
			const { headers } = await get(p);
			expect(headers['x-frame-options'], p).toBe('DENY');
			expect(headers['content-security-policy'], p).toMatch(/frame-ancestors 'none'/);
		}
	});

	it('isolates every answer cross-origin (COOP/COEP), so tfjs wasm may run threads', async () => {
		for (const p of ['/', '/notebooks/srnam', '/weights/progan/model.json', '/_app/immutable/app.js', '/nope.js', '/a%00b']) {
			const { headers } = await get(p);
			expect(headers['cross-origin-opener-policy'], p).toBe('same-origin');
			expect(headers['cross-origin-embedder-policy'], p).toBe('require-corp');
			expect(headers['cross-origin-resource-policy'], p).toBe('same-origin');
		}
	});

	it('serves like a static host without COOP/COEP when told (the service worker adds them there)', async () => {
		const { startServer } = await import('../../scripts/serve.js');
		const plain = await startServer(0, { isolation: false });
		const was = port;
		port = (plain.address() as { port: number }).port;
		try {
			const { status, headers } = await get('/notebooks/srnam');
			expect(status).toBe(200);
			expect(headers['cross-origin-embedder-policy']).toBeUndefined();
			expect(headers['x-frame-options']).toBe('DENY');
		} finally {
			port = was;
			await new Promise((r) => plain.close(r));
		}
	});

	it('answers HEAD without a body and refuses other methods', async () => {
		expect(await get('/sessions', 'HEAD')).toMatchObject({ status: 200, body: '' });
		expect((await get('/sessions', 'POST')).status).toBe(405);
	});
});
