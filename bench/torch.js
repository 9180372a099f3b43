// Client of bench/torch_ref.py: one long-lived Python process, one JSON request per line, so
// the suite can interleave PyTorch and srlab runs (bench/suite.js).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// run as a module from the repository root: it imports the `train` package
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const PYTHON = process.env.SRLAB_BENCH_PYTHON ?? '/usr/bin/python3';

/** Start the reference, or return { skipped: reason } when Python/torch is missing. */
export async function startTorch({ threads = 1, device = 'cpu' } = {}) {
	const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
	if (probe.status !== 0) return { skipped: `PyTorch reference unavailable (${PYTHON}: ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})` };
	const child = spawn(PYTHON, ['-m', 'bench.torch_ref'], {
		cwd: ROOT,
		env: { ...process.env, SRLAB_BENCH_TORCH_THREADS: String(threads), SRLAB_BENCH_TORCH_DEVICE: device },
		stdio: ['pipe', 'pipe', 'inherit']
	});
	const lines = createInterface({ input: child.stdout });
	const waiting = [];
	lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
	const exited = new Promise((r) => child.on('exit', r));
	async function call(op, args = {}) {
		const p = new Promise((r) => waiting.push(r));
		child.stdin.write(JSON.stringify({ op, ...args }) + '\n');
		const out = await Promise.race([p, exited.then((code) => ({ error: `torch_ref.py exited (${code})` }))]);
		if (out.error) throw new Error(`PyTorch ${op}: ${out.error}`);
		return out;
	}
	const info = await call('info');
	return {
		info,
		call,
		async close() {
			child.stdin.end(JSON.stringify({ op: 'close' }) + '\n');
			await exited;
		}
	};
}
