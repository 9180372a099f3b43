#!/usr/bin/env node
// SR-NAM latent-search speed in Node: steps/second for K = 1 and 8 with the shipped ProGAN
// (+ the learned degrader when static/weights/degrader is shipped, else avg-pool ×4; and a
// random-weight degrader of the trained architecture, for timing only). The timing code is
// the env-gated bench in test/unit/srnam.progan.test.ts (TypeScript sources run under vitest).
// Usage: node bench/srnam-node.js [cpu|wasm]   (default cpu)
import { spawnSync } from 'node:child_process';

const backend = process.argv[2] ?? 'cpu';
if (!['cpu', 'wasm'].includes(backend)) {
	console.error('usage: node bench/srnam-node.js [cpu|wasm]');
	process.exit(2);
}
const r = spawnSync('npx', ['vitest', 'run', 'test/unit/srnam.progan.test.ts', '-t', 'bench'], {
	env: { ...process.env, SRNAM_BENCH: '1', SRNAM_BACKEND: backend },
	encoding: 'utf8'
});
const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
for (const line of out.split('\n')) if (line.includes('srnam bench')) console.log(line.replace(/\x1b\[[0-9;]*m/g, '').trim());
if (r.status !== 0) {
	console.error(out);
	process.exit(r.status ?? 1);
}
