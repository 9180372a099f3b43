"""Dump the image sets for the paper's two claims as uint8 NHWC .npy files (for the FID-proxy
tool, `npm run eval:fid`; the driver is train/degradation/claims.py).

  /usr/bin/python3 -m train.degradation.eval [--out train/runs/claims]

Everything runs on the EXPORTED float16 weights through the plain-op forwards that mirror the
browser twins (degrader.export.degrader_forward / low2high.export.low2high_forward), batch norm in inference mode.

Claim 1 (Bulat et al. §3.3; Fig. 3): the learned High-to-Low degradation looks more like real
LR faces than bicubic downsampling does.
  deg_lr16.npy        degrader(faces64 TEST HR (1,000), z ~ N(0, I) seeded)     [1000,16,16,3]
  bicubic_lr16.npy    bicubic (antialiased, a=-0.5) 64 -> 16 of the same HR       [1000,16,16,3]
  real_lr16_test.npy  lr-faces TEST split (104 WIDER FACE crops, held-out scenes) [104,16,16,3]
  real_lr16_train.npy lr-faces train split (765), a real-vs-real reference        [765,16,16,3]
Claim 2 (§4, Table 1): Low-to-High trained on High-to-Low outputs super-resolves REAL LR faces
better than its twin trained on bicubic LR.
  sr_deg64.npy        low2high(real_lr16_test)                                   [104,64,64,3]
  sr_bic64.npy        low2high-bicubic(real_lr16_test)                           [104,64,64,3]
  up_bicubic64.npy    plain bicubic x4 upsampling of real_lr16_test (no learning) [104,64,64,3]
  hr64_test.npy       faces64 TEST HR faces                                      [1000,64,64,3]
The lr-faces test split is read here for evaluation only (never by any training script).
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.common.data import load_faces64
from train.common.export import read_exported, weights_sha
from train.common.images import bicubic_down, to_float, to_u8
from train.common.lr_faces import load_real_lr
from train.common.paths import RUNS_DIR
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degrader.export import degrader_forward
from train.low2high.export import low2high_forward

NOISE_SEED = 7


def batched(fn, x, bs=100):
    return torch.cat([fn(x[i:i + bs]) for i in range(0, len(x), bs)])


def dump(out_dir, weights_dir=WEIGHTS, data_dir=None, hr_limit=None):
    os.makedirs(out_dir, exist_ok=True)
    hr_u8 = load_faces64(data_dir, 'test', hr_limit)
    hr = to_float(hr_u8)
    real_test, test_idx = load_real_lr(data_dir, 'test', 16, allow_test=True)
    real_train, _ = load_real_lr(data_dir, 'train', 16)
    sets = {'hr64_test': hr_u8, 'real_lr16_test': real_test, 'real_lr16_train': real_train,
            'bicubic_lr16': to_u8(batched(bicubic_down, hr))}
    info = {'noise_seed': NOISE_SEED, 'real_lr_test_indices': [min(test_idx), max(test_idx) + 1], 'weights': {}}
    real = to_float(real_test)
    up = F.interpolate(real, scale_factor=4, mode='bicubic', align_corners=False).clamp(-1, 1)
    sets['up_bicubic64'] = to_u8(up)
    deg_dir = os.path.join(weights_dir, 'degrader')
    if os.path.isdir(deg_dir):
        _, W = read_exported(deg_dir)
        z = torch.randn(len(hr), 100, generator=torch.Generator().manual_seed(NOISE_SEED))
        sets['deg_lr16'] = to_u8(torch.cat([degrader_forward(W, hr[i:i + 100], z[i:i + 100]) for i in range(0, len(hr), 100)]))
        info['weights']['degrader'] = weights_sha(deg_dir)
    for name, key in (('low2high', 'sr_deg64'), ('low2high-bicubic', 'sr_bic64')):
        d = os.path.join(weights_dir, name)
        if os.path.isdir(d):
            _, W = read_exported(d)
            sets[key] = to_u8(batched(lambda x: low2high_forward(W, x), real, 52))
            info['weights'][name] = weights_sha(d)
    for k, v in sets.items():
        np.save(os.path.join(out_dir, f'{k}.npy'), v)
    info['sets'] = {k: list(v.shape) for k, v in sets.items()}
    with open(os.path.join(out_dir, 'sets.json'), 'w') as f:
        json.dump(info, f, indent=1)
    print(f'wrote {len(sets)} sets to {out_dir}: ' + ', '.join(f'{k} {v.shape[0]}x{v.shape[1]}' for k, v in sets.items()))
    return info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=os.path.join(RUNS_DIR, 'claims'))
    ap.add_argument('--weights', default=WEIGHTS)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    dump(a.out, a.weights, a.data_dir)


if __name__ == '__main__':
    main()
