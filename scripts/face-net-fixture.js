// Writes test/fixtures/face-net-descriptors.json: runs main() of test/unit/faceNetFixture.ts (the
// unit test imports the same module); see run-ts.js for why a launcher is needed.
import { runTs } from './run-ts.js';

await runTs(new URL('../test/unit/faceNetFixture.ts', import.meta.url));
