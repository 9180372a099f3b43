// Launcher for scripts/fid-proxy.ts; see run-ts.js for why a launcher is needed.
import { runTs } from './run-ts.js';

await runTs(new URL('./fid-proxy.ts', import.meta.url));
