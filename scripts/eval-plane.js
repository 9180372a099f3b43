// The perception-distortion plane of every SR method srlab ships (issue 14): PSNR, SSIM and
// FID-proxy of each method's 64x64 outputs on the same faces64 test faces, SR-NAM (best and mean
// of K restarts) on a seeded subset with every other method on that subset too. The work is done
// by the Python module train/srgan/plane.py (exported weights through the plain-op forwards;
// FID-proxy through scripts/fid-proxy.js), which this launcher runs with Debian's python3 + torch.
//
//   npm run eval:plane -- [--limit N] [--skip-srnam] [--out FILE] [--seeds 0,1,2] [--fresh]
//   (default: static/eval/perception-distortion.json and the srresnet/srgan cards' fid_proxy)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const python = process.env.SRLAB_PYTHON ?? '/usr/bin/python3';
const r = spawnSync(python, ['-m', 'train.srgan.plane', ...process.argv.slice(2)], {
	stdio: 'inherit',
	cwd: fileURLToPath(new URL('..', import.meta.url)),
	env: { ...process.env, PYTHONUNBUFFERED: '1' }
});
if (r.error) console.error(`${python}: ${r.error.message} (npm run pretest installs python3-torch)`);
process.exit(r.status ?? 1);
