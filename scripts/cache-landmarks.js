// Launcher for scripts/cache-landmarks.ts (teacher landmark cache for the heatmap losses):
// Node 20 cannot strip TypeScript types, so the TS entry
// (and the src/lib/eval modules it imports) goes through Vite's module runner, the same
// transform the unit tests use. No vite.config (no SvelteKit plugin): imports stay relative.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const entry = fileURLToPath(new URL('./cache-landmarks.ts', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
try {
	const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error', root });
	process.exitCode = await module.main(process.argv.slice(2));
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
}
