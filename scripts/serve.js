// Serves the built static site (build/) on localhost. Unknown paths fall back to the SPA
// shell (200.html), as on any static host. Usage: node scripts/serve.js [--port N]
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// SRLAB_BUILD_DIR: serve a build made elsewhere (see svelte.config.js)
const root = process.env.SRLAB_BUILD_DIR
	? resolve(process.env.SRLAB_BUILD_DIR)
	: join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
const TYPES = {
	'.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
	'.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.png': 'image/png', '.svg': 'image/svg+xml',
	'.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.ico': 'image/x-icon', '.txt': 'text/plain'
};

export function startServer(port = 0) {
	if (!existsSync(join(root, '200.html'))) throw new Error('build/ is missing: run `npm run build` first');
	const server = createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		const candidates = [path, `${path}.html`, join(path, 'index.html')].map((p) => normalize(join(root, p)));
		let file = candidates.find((f) => f.startsWith(root) && existsSync(f) && statSync(f).isFile());
		const status = file ? 200 : 200;
		file ??= join(root, '200.html');
		res.writeHead(status, {
			'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
			'Cache-Control': file.includes('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache',
			'X-Content-Type-Options': 'nosniff'
		});
		createReadStream(file).pipe(res);
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const i = process.argv.indexOf('--port');
	const port = Number(i > 0 ? process.argv[i + 1] : process.env.PORT ?? 4173);
	const server = await startServer(port);
	console.log(`srlab is running at http://localhost:${server.address().port}/  (Ctrl+C to stop)`);
}
