"""Parity fixture for the tfjs twin (DESIGN §4: max relative error <= 1e-3 in float32).

  /usr/bin/python3 -m train.progan.parity [--weights static/weights/progan] [--out test/fixtures/progan-parity.json]

Runs the EXPORTED weights (float16-rounded, exactly what the browser decodes) through the
plain-conv PyTorch forward in progan/exported.py on a fixed, seeded z stored in the fixture
(rounded to 2 decimals: the stored values are the input), and records small slices:
the 4x4 level fully, the 8x8 level fully for sample 0, centre 4x4 crops at 16/32/64 px and
at a fade-in alpha=0.5 into 32 px, plus per-sample mean/std/min/max over each full image.
"""
import argparse
import os

import numpy as np
import torch

from train.common.export import image_stats, r6, read_exported, write_fixture
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.progan.exported import forward_exported

SEED = 1234
CASES = [  # (level px, alpha, samples, crop size or None for the full image)
    (4, 1.0, [0, 1], None),
    (8, 1.0, [0], None),
    (16, 1.0, [0, 1], 4),
    (32, 1.0, [0, 1], 4),
    (64, 1.0, [0, 1], 4),
    (32, 0.5, [0, 1], 4),
]


def make_fixture(weights_dir):
    mj, W = read_exported(weights_dir)
    latent = W['g/4/dense/w'].shape[0]
    z = np.round(np.random.default_rng(SEED).standard_normal((2, latent)), 2).astype(np.float32)
    cases = []
    for level, alpha, samples, crop in CASES:
        img = forward_exported(W, torch.from_numpy(z), level, alpha).permute(0, 2, 3, 1).numpy()  # NHWC
        y = x = 0 if crop is None else (level - crop) // 2
        size = level if crop is None else crop
        sl = img[samples, y:y + size, x:x + size, :]
        cases.append({
            'level': level, 'alpha': alpha, 'samples': samples,
            'crop': {'y': y, 'x': x, 'h': size, 'w': size}, 'shape': list(sl.shape), 'values': r6(sl),
            'stats': image_stats(img),
        })
    return {
        'model': 'progan', 'generated_by': 'train/parity_fixture.py',
        'weights_integrity': mj['integrity'], 'layout': 'NHWC', 'seed': SEED,
        'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3 per case; stats within 1e-3 of the image max-abs',
        'z': [r6(row) for row in z], 'cases': cases,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--weights', default=os.path.join(WEIGHTS_DIR, 'progan'))
    ap.add_argument('--out', default=os.path.join(FIXTURES_DIR, 'progan-parity.json'))
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    n = write_fixture(a.out, make_fixture(a.weights))
    print(f'wrote {a.out} ({n / 1024:.1f} KB)')


if __name__ == '__main__':
    main()
