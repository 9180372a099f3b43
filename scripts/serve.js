// Serves the built static site (build/) on localhost, as a static host would: a file as it is;
// a page route with no file of its own (/notebooks/x) gets the SPA shell 200.html; anything
// else that is missing (a weights file, /_app/…, a path with an extension) gets 404, so a
// deleted file is reported as missing and not as bad JSON. Hostile paths get 400: never a
// crash, never a file outside build/. Usage: node scripts/serve.js [--port N]
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// SRLAB_BUILD_DIR: serve a build made elsewhere (see svelte.config.js)
const root = process.env.SRLAB_BUILD_DIR
	? resolve(process.env.SRLAB_BUILD_DIR)
	: resolve(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const TYPES = {
	'.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
	'.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.png': 'image/png', '.svg': 'image/svg+xml',
	'.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.ico': 'image/x-icon', '.txt': 'text/plain',
	'.webmanifest': 'application/manifest+json'
};
/** Top-level folders that hold only assets: a missing file there is a 404, never a page. */
const ASSET_DIRS = new Set(['_app', 'weights', 'vendor']);
const HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	// No other site may frame srlab (clickjacking). A <meta> CSP cannot say this, so the server does.
	'Content-Security-Policy': "frame-ancestors 'none'",
	'X-Frame-Options': 'DENY'
};
// Cross-origin isolation (crossOriginIsolated = true): SharedArrayBuffer, so tfjs's wasm backend can
// run its SIMD + threads build. Everything srlab loads is same-origin, so require-corp costs nothing.
const ISOLATION = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp',
	'Cross-Origin-Resource-Policy': 'same-origin'
};

const isFile = (f) => {
	try {
		return statSync(f).isFile();
	} catch {
		return false;
	}
};
// With the separator: "build-secret" starts with "build" too.
const inside = (f) => f === root || f.startsWith(root + sep);

/** What to answer for a URL pathname (still %-encoded): { file } with 200, or a bare status. */
function route(pathname) {
	let path;
	try {
		path = decodeURIComponent(pathname);
	} catch {
		return { status: 400 }; // malformed %-escape
	}
	if (path.includes('\0') || path.includes('\\')) return { status: 400 };
	const candidates = [path, `${path}.html`, `${path}/index.html`].map((p) => normalize(join(root, p)));
	if (!inside(candidates[0])) return { status: 400 }; // "..%2f" climbing out of build/
	const file = candidates.find((f) => inside(f) && isFile(f));
	if (file) return { status: 200, file };
	const pageLike = !ASSET_DIRS.has(path.split('/')[1]) && extname(path) === '';
	return pageLike ? { status: 200, file: join(root, '200.html') } : { status: 404 };
}

const REASONS = { 400: 'Bad request', 404: 'Not found', 405: 'Method not allowed', 500: 'Server error' };

/** `headers`: HEADERS, plus ISOLATION unless startServer was told otherwise. */
function answer(req, res, headers) {
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
		return res.end(REASONS[405]);
	}
	const { status, file } = route(new URL(req.url ?? '/', 'http://x').pathname);
	if (!file) {
		res.writeHead(status, { ...headers, 'Content-Type': 'text/plain' });
		return res.end(req.method === 'HEAD' ? undefined : REASONS[status]);
	}
	res.writeHead(status, {
		...headers,
		'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
		'Cache-Control': file.includes(`${sep}_app${sep}immutable${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'
	});
	if (req.method === 'HEAD') return res.end();
	createReadStream(file)
		.on('error', () => res.destroy()) // e.g. deleted between stat and read
		.pipe(res);
}

/** `isolation: false` serves like a static host that cannot set COOP/COEP (the service worker's fallback test). */
export function startServer(port = 0, { isolation = true } = {}) {
	const headers = isolation ? { ...HEADERS, ...ISOLATION } : HEADERS;
	if (!existsSync(join(root, '200.html'))) throw new Error('build/ is missing: run `npm run build` first');
	const server = createServer((req, res) => {
		try {
			answer(req, res, headers);
		} catch {
			if (!res.headersSent) res.writeHead(500, { ...headers, 'Content-Type': 'text/plain' });
			res.end(REASONS[500]);
		}
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const i = process.argv.indexOf('--port');
	const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT ?? 4173);
	const server = await startServer(port);
	console.log(`srlab is running at http://localhost:${server.address().port}/  (Ctrl+C to stop)`);
}
