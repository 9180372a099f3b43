// Runs a TypeScript script's `main(argv) -> exit code` from a plain-JS launcher: Node 20 cannot
// strip TypeScript types, so the TS entry (and the src/lib modules it imports) goes through
// Vite's module runner, the same transform the unit tests use. No vite.config (no SvelteKit
// plugin): imports stay relative.
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** entryUrl: the .ts file as a URL (new URL('./x.ts', import.meta.url)); sets process.exitCode. */
export async function runTs(entryUrl) {
	try {
		const { module } = await runnerImport(fileURLToPath(entryUrl), { configFile: false, logLevel: 'error', root });
		process.exitCode = await module.main(process.argv.slice(2));
	} catch (e) {
		console.error(e instanceof Error ? e.message : e);
		process.exitCode = 1;
	}
}
