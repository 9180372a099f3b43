// Launcher for scripts/face-net-fixture.ts; see run-ts.js for why a launcher is needed.
import { runTs } from './run-ts.js';

await runTs(new URL('./face-net-fixture.ts', import.meta.url));
