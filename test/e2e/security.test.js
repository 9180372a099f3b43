// The built site forbids eval and inline scripts (Content-Security-Policy), and a tampered
// share link is refused with a message while the notebook keeps working.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setup, newPage, cellDone } from './harness.js';

let env;
before(async () => (env = await setup()));
after(async () => env?.close());

it('has a CSP that forbids eval and blocks injected inline scripts', async () => {
	const { page, context } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/classical-degradations?backend=wasm`);
	await cellDone(page, 'chart');
	const csp = await page.getAttribute('meta[http-equiv="content-security-policy"]', 'content');
	// blob: is there for tfjs wasm's thread workers (svelte.config.js); injected inline code stays blocked below
	assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' blob: 'sha256-/);
	assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
	// (eval itself cannot be probed from here: DevTools-protocol evaluation is exempt from CSP;
	// the policy text above is what forbids it.)
	const result = await page.evaluate(async () => {
		const violations = [];
		document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
		const s = document.createElement('script');
		s.textContent = 'window.__injected = true';
		document.body.appendChild(s);
		await new Promise((r) => setTimeout(r, 50));
		return { violations, injected: Boolean(window.__injected) };
	});
	assert.equal(result.injected, false);
	assert.ok(result.violations.some((v) => v.startsWith('script-src')), `violations: ${result.violations}`);
	await context.close();
});

it('refuses a tampered link with a message and opens a working notebook', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/classical-degradations?backend=wasm#s=s1.<img src=x onerror=alert(1)>`);
	await cellDone(page, 'chart');
	assert.match(await page.textContent('[data-testid="notice"]'), /link could not be opened/i);
	assert.equal(await page.$('img[src="x"]'), null);
	assert.deepEqual(errors, []);
	await context.close();
});

it('a malformed %-escape in the hash: a message, no uncaught error, the notebook works', async () => {
	const { page, context, errors } = await newPage(env.browser);
	await page.goto(`${env.base}/notebooks/classical-degradations?backend=wasm#s=%E0%A4%A`);
	await cellDone(page, 'chart');
	assert.match(await page.textContent('[data-testid="notice"]'), /link could not be opened/i);
	// Typed into the address bar later (a hash change on the open page): still no uncaught error.
	await page.evaluate(() => (location.hash = '%E0%A4%A'));
	await page.evaluate(() => (location.hash = 'x%'));
	await page.waitForTimeout(300);
	assert.deepEqual(errors, []);
	await context.close();
});

it('no site may frame the Sessions page (clickjacking)', async () => {
	const { page, context } = await newPage(env.browser);
	const res = await page.goto(`${env.base}/sessions`);
	assert.equal(res.headers()['x-frame-options'], 'DENY');
	assert.match(res.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
	// A page that frames it; from srlab's own origin, so that nothing but these headers can block
	// it (this Chromium refuses loopback frames across origins by itself).
	await page.goto(`${env.base}/does-not-exist.txt`);
	await page.setContent(`<iframe src="${env.base}/sessions" width="400" height="300"></iframe>`);
	await page.waitForTimeout(1000);
	const frame = page.frames().find((f) => f !== page.mainFrame());
	const framedTitle = await frame?.evaluate(() => document.querySelector('h1')?.textContent).catch(() => null);
	assert.notEqual(framedTitle, 'Sessions', 'the Sessions page rendered inside a frame');
	await context.close();
});
