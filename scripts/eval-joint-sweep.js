// The blur-length sweep of the joint SR + deblurring models (issue 15, paper 002): PSNR, SSIM and
// FID-proxy of bicubic x8 and of joint-sr, joint-sr-noblur, joint-sr-nolocal on the first 200 faces128
// test faces for motion-blur lengths 0..24 px. The work is done by the Python module
// train/joint_sr/sweep.py (exported weights through the plain-op forwards), which this launcher runs
// with Debian's python3 + torch.
//
//   npm run eval:joint-sweep -- [--faces N] [--out FILE] [--seeds 0,1,...]
//   (default: static/eval/joint-sr-sweep.json)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const python = process.env.SRLAB_PYTHON ?? '/usr/bin/python3';
const r = spawnSync(python, ['-m', 'train.joint_sr.sweep', ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: fileURLToPath(new URL('..', import.meta.url)),
	env: { ...process.env, PYTHONUNBUFFERED: '1' }
});
if (r.error) console.error(`${python}: ${r.error.message} (npm run pretest installs python3-torch)`);
process.exit(r.status ?? 1);
