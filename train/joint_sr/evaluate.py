"""Offline quality of the joint SR models (the joint spec's "offline numbers"): on the first n faces128
TEST faces, each HR blurred by a seeded motion kernel and bicubic-downsampled x8 as in training,
  PSNR, SSIM    of the sharp output I^_HR vs the sharp HR (RGB, whole 128x128 face, 8-bit levels;
                train/common/metrics.py through train/srgan/plane.per_face_metrics), mean and sd over faces;
  FID-proxy     scripts/fid-proxy.js (face-api 128-D descriptors, NOT Inception FID) of the outputs vs the
                same faces' HR: per seed a paired seeded subset of round(0.8 n) faces, mean and sd over seeds
                (train/srgan/fid_cache.py caches by both sets' bytes);
and the baseline "bicubic": bicubic x8 upsampling (align_corners False, clamped) of the same LR.
Sets (.npy) and the FID cache live in .cache/joint-sr/ (git-ignored).
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.common.data import load_faces128
from train.common.images import to_float, to_u8
from train.common.paths import REPO_ROOT
from train.joint_sr.data import SCALE, degrade, test_kernel_params
from train.joint_sr.export import joint_sr_forward
from train.srgan.fid_cache import fid_cached
from train.srgan.plane import FID_FRACTION, per_face_metrics

CACHE = os.path.join(REPO_ROOT, '.cache', 'joint-sr')
TEST_FACES = 500
KERNEL_SEED = 0  # the cards' kernels: lengths U[0, 16], angles U[0, 180) from this seed
FID_SEEDS = (0, 1, 2)
CHUNK = 50


def test_faces(n=TEST_FACES, data_dir=None):
    """-> float [n,3,128,128] in [-1,1]: faces128 test indices 0..n-1."""
    hr, _ = load_faces128(data_dir, 'test', limit=n)
    return to_float(hr)


@torch.no_grad()
def degrade_set(hr, lengths, angles):
    """-> LR [n,3,16,16] (blur with each face's kernel, then bicubic x1/8), in chunks."""
    return torch.cat([degrade(hr[i:i + CHUNK], lengths[i:i + CHUNK], angles[i:i + CHUNK])[1]
                      for i in range(0, len(hr), CHUNK)])


@torch.no_grad()
def bicubic_up(lr):
    return F.interpolate(lr, scale_factor=SCALE, mode='bicubic', align_corners=False).clamp(-1, 1)


@torch.no_grad()
def sharp_outputs(W, lr):
    """Exported arrays W (the float16 weights the browser decodes) -> uint8 NHWC I^_HR for every LR."""
    return np.concatenate([to_u8(joint_sr_forward(W, lr[i:i + CHUNK])['sharp']) for i in range(0, len(lr), CHUNK)])


def measure(name, sr_u8, hr_u8, tag, fid_seeds=FID_SEEDS, fresh=False):
    """-> {"psnr_db": {mean, sd}, "ssim": {mean, sd}, "fid_proxy": {mean, sd, per_seed} or None}."""
    psnr, ssim = per_face_metrics(sr_u8, hr_u8)
    out = {'psnr_db': psnr, 'ssim': ssim, 'fid_proxy': None}
    if fid_seeds:
        sets = os.path.join(CACHE, 'sets')
        os.makedirs(sets, exist_ok=True)
        a, b = os.path.join(sets, f'{tag}-{name}.npy'), os.path.join(sets, f'{tag}-hr.npy')
        np.save(a, sr_u8)
        np.save(b, hr_u8)
        sub = max(2, round(FID_FRACTION * len(hr_u8)))
        out['fid_proxy'] = {**fid_cached(a, b, sub, fid_seeds, os.path.join(CACHE, 'fid'), fresh)['summary'],
                            'subset': sub}
    return out


def test_quality(W, n=TEST_FACES, fid_seeds=FID_SEEDS, data_dir=None, log=print):
    """card.json "test": the model (exported arrays W) and bicubic on the same n faces and kernels."""
    hr = test_faces(n, data_dir)
    lengths, angles = test_kernel_params(len(hr), KERNEL_SEED)
    lr = degrade_set(hr, lengths, angles)
    hr_u8 = to_u8(hr)
    tag = f'test{len(hr)}-k{KERNEL_SEED}'
    model = measure('model-' + weights_tag(W), sharp_outputs(W, lr), hr_u8, tag, fid_seeds)
    bicubic = measure('bicubic', to_u8(bicubic_up(lr)), hr_u8, tag, fid_seeds)
    log(f"test ({len(hr)} faces): model PSNR {model['psnr_db']['mean']:.2f} SSIM {model['ssim']['mean']:.4f}"
        f" | bicubic PSNR {bicubic['psnr_db']['mean']:.2f} SSIM {bicubic['ssim']['mean']:.4f}")
    return {'faces': len(hr), 'split': 'faces128 test indices 0..n-1',
            'degradation': f'motion blur (kernels.ts motionBlurKernel), length U[0,16] px, angle U[0,180) deg, '
                           f'numpy default_rng({KERNEL_SEED}); then bicubic x1/8 (antialiased, a=-0.5), clamped',
            'metric_notes': 'PSNR/SSIM: RGB, whole 128x128 face, 8-bit outputs vs the SHARP HR; FID-proxy: face-api '
                            'descriptors (NOT Inception FID), paired seeded subsets of 80% of the faces, mean over seeds',
            'psnr_db': model['psnr_db'], 'ssim': model['ssim'], 'fid_proxy': model['fid_proxy'],
            'bicubic': {'what': 'bicubic x8 upsampling of the same LR', **bicubic}}


def weights_tag(W):
    """A short content tag of the arrays, so cached sets of different weights never mix."""
    import hashlib
    h = hashlib.sha256()
    for k in sorted(W):
        h.update(k.encode() + np.ascontiguousarray(W[k]).tobytes())
    return h.hexdigest()[:12]
