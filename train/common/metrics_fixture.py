"""Write test/fixtures/metrics-psnr-ssim.json: PSNR and SSIM of a few seeded 8-bit image pairs as
train/common/metrics.py computes them (the cards' test numbers), so the TypeScript metrics that the
notebooks compute live (src/lib/heatmaps/losses.ts psnr/ssim, used by src/lib/jointSr/sweep.ts) can be
checked to give the same numbers: test/unit/metrics.parity.test.ts.

  /usr/bin/python3 -m train.common.metrics_fixture
"""
import base64
import json
import os

import numpy as np
import torch

from train.common.metrics import psnr_each, ssim_each
from train.common.paths import REPO_ROOT

OUT = os.path.join(REPO_ROOT, 'test', 'fixtures', 'metrics-psnr-ssim.json')


def pairs(seed=20261203, side=32):
    """A smooth face-like gradient, and three versions of it: noisy, blurred-ish (box), shifted."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:side, 0:side].astype(np.float64)
    base = np.stack([0.5 + 0.35 * np.sin(x / 5 + c) * np.cos(y / 7 - c) for c in range(3)], -1)
    ref = np.clip(np.round(base * 255), 0, 255).astype(np.uint8)
    noisy = np.clip(ref.astype(np.int32) + rng.integers(-20, 21, ref.shape), 0, 255).astype(np.uint8)
    pad = np.pad(ref.astype(np.float64), ((1, 1), (1, 1), (0, 0)), mode='edge')
    box = sum(pad[dy:dy + side, dx:dx + side] for dy in range(3) for dx in range(3)) / 9
    boxed = np.clip(np.round(box), 0, 255).astype(np.uint8)
    shifted = np.roll(ref, 2, axis=1)
    return ref, [('noisy', noisy), ('box 3x3', boxed), ('shifted 2 px', shifted)]


def main():
    ref, others = pairs()
    to_t = lambda a: torch.from_numpy(a).permute(2, 0, 1)[None].double()  # noqa: E731
    cases = []
    for name, img in others:
        cases.append({'name': name, 'u8_base64': base64.b64encode(img.tobytes()).decode(),
                      'psnr_db': float(psnr_each(to_t(ref), to_t(img))[0]),
                      'ssim': float(ssim_each(to_t(ref), to_t(img))[0])})
    out = {'generated_by': 'train/common/metrics_fixture.py', 'layout': 'HWC uint8', 'shape': list(ref.shape),
           'reference_u8_base64': base64.b64encode(ref.tobytes()).decode(),
           'note': 'psnr_each / ssim_each of train/common/metrics.py (peak 255; SSIM 11x11 Gaussian sigma 1.5, '
                   'per channel, valid) of the reference against each case', 'cases': cases}
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
    print(f'wrote {OUT}: ' + ', '.join(f"{c['name']} {c['psnr_db']:.3f} dB / {c['ssim']:.4f}" for c in cases))


if __name__ == '__main__':
    main()
