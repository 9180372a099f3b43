// Runs the Python training tests (smoke tests of every training script on its tiny config,
// export and parity) with Debian's python3 + python3-torch.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const python = process.env.SRLAB_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
if (probe.status !== 0) {
	console.error(`${python} has no torch: install Debian's python3-torch (npm run pretest does, as root).`);
	process.exit(1);
}
if (!existsSync('train/tests')) {
	console.log('no training tests yet');
	process.exit(0);
}
// from the repository root, top level `.`: the tests import the `train` package (and bench.torch_ref)
const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'train/tests', '-t', '.', '-v'], {
	stdio: 'inherit',
	cwd: fileURLToPath(new URL('..', import.meta.url)),
	env: { ...process.env, PYTHONUNBUFFERED: '1' }
});
process.exit(r.status ?? 1);
