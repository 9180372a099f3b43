// Shared set-up for browser tests: the built site on a loopback port and Debian's Chromium
// driven by playwright-core (WebGPU runs there on SwiftShader: correct but slow).
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startServer } from '../../scripts/serve.js';

export const CHROMIUM_ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export async function setup() {
	const server = await startServer(0);
	const base = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
	return {
		base,
		browser,
		async close() {
			await browser.close();
			await new Promise((r) => server.close(r));
		}
	};
}

/**
 * A fresh browser context (its own IndexedDB) with console errors collected. The offline service
 * worker is blocked unless `serviceWorkers: 'allow'` (test/e2e/offline.test.js): otherwise each
 * context would download the whole precache, and page.route could not see requests it answers.
 */
export async function newPage(browser, { serviceWorkers = 'block' } = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers });
	const page = await context.newPage();
	const errors = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	return { context, page, errors };
}

/** Wait until a cell finished (done) at least `runs` times. */
export async function cellDone(page, id, runs = 1, timeout = 120_000) {
	await page.waitForSelector(`[data-testid="cell-${id}"][data-status="done"]`, { timeout });
	await page.waitForFunction(([id, runs]) => Number(document.querySelector(`[data-testid="cell-${id}"]`)?.getAttribute('data-runs')) >= runs, [id, runs], { timeout });
}

export async function galleryL2(page) {
	return page.$$eval('[data-testid^="lr-"][data-l2]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-testid'), Number(e.getAttribute('data-l2'))])));
}

/** The bench page (bench/browser-entry.ts) built and served, with Chromium, for the kernel tests. */
export async function setupBench() {
	const { buildBench } = await import('../../bench/build.js');
	const { serveBench } = await import('../../bench/browser.js');
	await buildBench();
	const server = await serveBench(join(dirname(fileURLToPath(import.meta.url)), '../..'));
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
	return {
		base: `http://127.0.0.1:${server.address().port}/`,
		browser,
		async close() {
			await browser.close();
			await new Promise((r) => server.close(r));
		}
	};
}
