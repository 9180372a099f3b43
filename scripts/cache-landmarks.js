// Launcher for scripts/cache-landmarks.ts (teacher landmark cache for the heatmap losses);
// see run-ts.js for why a launcher is needed.
import { runTs } from './run-ts.js';

await runTs(new URL('./cache-landmarks.ts', import.meta.url));
