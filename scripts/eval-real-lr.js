// Every SR method srlab ships on the real-LR test split (lr-faces): FID-proxy to real HR faces
// (scripts/fid-proxy.js over seeded subsamples), LR-consistency (output degraded back by the
// learned degrader and by bicubic /4), and a contact sheet. The work is done by the Python module
// train/degradation/real_lr_eval.py (exported weights through the plain-op forwards; FID-proxy
// through this repository's tfjs tool), which this launcher runs with Debian's python3 + torch.
//
//   npm run eval:real-lr -- [--limit N] [--out DIR] [--seeds 0,1,2]    (default --out .cache/eval-real-lr)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const python = process.env.SRLAB_PYTHON ?? '/usr/bin/python3';
const r = spawnSync(python, ['-m', 'train.degradation.real_lr_eval', ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: fileURLToPath(new URL('..', import.meta.url)),
	env: { ...process.env, PYTHONUNBUFFERED: '1' }
});
if (r.error) console.error(`${python}: ${r.error.message} (npm run pretest installs python3-torch)`);
process.exit(r.status ?? 1);
