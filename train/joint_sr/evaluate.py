"""Offline quality of the joint SR models (the joint spec's "offline numbers"): on the first n faces128
TEST faces, each HR blurred by a seeded motion kernel and bicubic-downsampled x8 as in training,
  PSNR, SSIM    of the sharp output I^_HR vs the sharp HR (RGB, whole 128x128 face, 8-bit levels;
                train/common/metrics.py through train/srgan/plane.per_face_metrics), mean and sd over faces;
  FID-proxy     the Fréchet distance of face-api 128-D descriptors (NOT Inception FID) of the outputs vs the
                same faces' HR, per seed on a paired seeded subset of round(0.8 n) faces, mean and sd over
                seeds. Descriptors are computed once per set in PyTorch and the distance is frechet.ts's
                formula (train/degradation/fid_spread.py: equal to scripts/fid-proxy.js on square crops; the
                tool's wasm run costs ~40 s per 100 faces on this busy machine, PyTorch ~11 s), cached in
                .cache/joint-sr/desc by the images' sha256;
and the baseline "bicubic": bicubic x8 upsampling (align_corners False, clamped) of the same LR.
"""
import hashlib
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.common.data import load_faces128
from train.common.images import to_float, to_u8
from train.common.paths import REPO_ROOT
from train.joint_sr.data import SCALE, degrade, test_kernel_params
from train.joint_sr.export import joint_sr_forward
from train.degradation.fid_spread import descriptors, frechet
from train.srgan.plane import FID_FRACTION, per_face_metrics

CACHE = os.path.join(REPO_ROOT, '.cache', 'joint-sr')
TEST_FACES = 500
KERNEL_SEED = 0  # the cards' kernels: lengths U[0, 16], angles U[0, 180) from this seed
FID_SEEDS = tuple(range(10))
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


_NET = []


def cached_descriptors(u8):
    """face-api descriptors [N,128] float64 of uint8 NHWC faces, cached by the images' sha256."""
    key = hashlib.sha256(np.ascontiguousarray(u8).tobytes()).hexdigest()[:32]
    path = os.path.join(CACHE, 'desc', f'{key}.npy')
    if os.path.exists(path):
        return np.load(path)
    if not _NET:
        from train.common.face_net import load_face_net
        _NET.append(load_face_net())
    d = descriptors(u8, _NET[0])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, d)
    return d


def fid_proxy(sr_u8, hr_u8, seeds=FID_SEEDS):
    """Paired seeded subsets of round(0.8 n) faces (the same faces on both sides) -> {value, sd, faces, per_seed}."""
    a, b = cached_descriptors(sr_u8), cached_descriptors(hr_u8)
    n = len(hr_u8)
    sub = max(2, round(FID_FRACTION * n))
    vals = []
    for s in seeds:
        idx = np.sort(np.random.default_rng(s).choice(n, sub, replace=False))
        vals.append(frechet(a[idx], b[idx]))
    return {'value': round(float(np.mean(vals)), 4), 'sd': round(float(np.std(vals, ddof=1)), 4) if len(vals) > 1 else None,
            'faces': sub, 'per_seed': [round(v, 4) for v in vals]}


def measure(sr_u8, hr_u8, fid_seeds=FID_SEEDS):
    """-> {"psnr_db": mean, "psnr_db_sd", "ssim": mean, "ssim_sd", "fid_proxy": {value, sd, faces, per_seed}
    (absent without fid_seeds)} over the faces."""
    psnr, ssim = per_face_metrics(sr_u8, hr_u8)
    out = {'psnr_db': psnr['mean'], 'psnr_db_sd': psnr['sd'], 'ssim': ssim['mean'], 'ssim_sd': ssim['sd']}
    if fid_seeds:
        out['fid_proxy'] = fid_proxy(sr_u8, hr_u8, fid_seeds)
    return out


def test_quality(W, n=TEST_FACES, fid_seeds=FID_SEEDS, data_dir=None, log=print):
    """card.json "test": the model (exported arrays W) and bicubic on the same n faces and kernels."""
    hr = test_faces(n, data_dir)
    lengths, angles = test_kernel_params(len(hr), KERNEL_SEED)
    lr = degrade_set(hr, lengths, angles)
    hr_u8 = to_u8(hr)
    model = measure(sharp_outputs(W, lr), hr_u8, fid_seeds)
    bicubic = measure(to_u8(bicubic_up(lr)), hr_u8, fid_seeds)
    log(f"test ({len(hr)} faces): model PSNR {model['psnr_db']:.2f} SSIM {model['ssim']:.4f}"
        f" | bicubic PSNR {bicubic['psnr_db']:.2f} SSIM {bicubic['ssim']:.4f}")
    return {'faces': len(hr), 'split': 'faces128 test indices 0..n-1',
            'how': f'faces128 test 0..{len(hr) - 1}, each blurred by a motion kernel (length U[0,16] px, angle U[0,180) '
                   f'deg, numpy default_rng({KERNEL_SEED})), then bicubic x1/8 to 16 px; outputs vs the sharp HR',
            'metric_notes': 'PSNR/SSIM: RGB, whole 128x128 face, 8-bit outputs vs the SHARP HR, mean (and sd) over '
                            'faces; FID-proxy: Frechet distance of face-api descriptors (NOT Inception FID; computed in '
                            'PyTorch, frechet.ts formula) vs the same HR faces, paired seeded subsets of 80% of the '
                            'faces (faces), value = mean over the seeds',
            'sharp': {'what': 'the model\'s I^_HR (sharp output), from the exported float16 weights', **model},
            'bicubic': {'what': 'bicubic x8 upsampling of the same LR', **bicubic}}
