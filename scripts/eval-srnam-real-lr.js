// SR-NAM's search settings (default / joint degrader noise / latent-norm prior) on the first real-LR
// test faces of lr-faces: LR-consistency and pairwise diversity of the K candidates after S Adam
// steps, and wall time (issue 18). The work is done by train/srnam_eval/real_lr_settings.py, which
// this launcher runs with Debian's python3 + torch.
//
//   npm run eval:srnam-real-lr -- [--limit 20] [--restarts 4] [--steps 300] [--parallel] [--out DIR]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const python = process.env.SRLAB_PYTHON ?? '/usr/bin/python3';
const r = spawnSync(python, ['-m', 'train.srnam_eval.real_lr_settings', ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: fileURLToPath(new URL('..', import.meta.url)),
	env: { ...process.env, PYTHONUNBUFFERED: '1' }
});
if (r.error) console.error(`${python}: ${r.error.message} (npm run pretest installs python3-torch)`);
process.exit(r.status ?? 1);
