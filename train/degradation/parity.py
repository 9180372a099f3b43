"""Parity fixtures for the tfjs twins of the degradation pipeline (DESIGN §4: max relative
error <= 1e-3 in float32):

  /usr/bin/python3 -m train.degradation.parity          # -> test/fixtures/{degrader,low2high,low2high-bicubic}-parity.json

The EXPORTED weights (float16-rounded, exactly what the browser decodes) run through the
plain-op PyTorch forwards of train/degrader/export.py and train/low2high/export.py. Inputs are stored in the fixture compactly:
two 16x16 uint8 RGB faces (box-downsampled faces64 TEST faces 0 and 1, base64), used
  * as the Low-to-High input (u8 / 127.5 - 1), and
  * nearest-upsampled x4 to 64x64 as the High-to-Low HR input (same scaling),
plus noise [2,100] rounded to 2 decimals (the stored values are the input).
Recorded: the degrader output of sample 0 in full and a 4x4 centre crop of sample 1; the
Low-to-High output's 8x8 centre and 4x4 top-left corner (edge handling of the bilinear
upsampling) for both samples; and per-sample mean/std/min/max over the full outputs.
"""
import argparse
import base64
import os

import numpy as np
import torch

from train.common.data import load_faces64
from train.common.export import image_stats, r6, read_exported, write_fixture
from train.common.images import box_downsample
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.degrader.export import degrader_forward
from train.low2high.export import low2high_forward

GENERATED_BY = 'train/degradation_fixtures.py'  # as the committed fixtures say; kept so a re-run is byte-identical
SEED = 4321

def inputs(data_dir=None):
    faces = load_faces64(data_dir, 'test', limit=None)[:2]
    lr_u8 = box_downsample(faces, 4)  # [2,16,16,3]
    noise = np.round(np.random.default_rng(SEED).standard_normal((2, 100)), 2).astype(np.float32)
    return lr_u8, noise


def u8_to_nchw(u8, up=1):
    x = torch.from_numpy(u8.astype(np.float32) / 127.5 - 1.0).permute(0, 3, 1, 2)
    return x.repeat_interleave(up, 2).repeat_interleave(up, 3) if up > 1 else x


def crop(img, y, x, h, w, samples):
    return {'samples': samples, 'crop': {'y': y, 'x': x, 'h': h, 'w': w},
            'values': r6(img[samples, y:y + h, x:x + w, :])}


def make_fixtures(degrader_dir, low2high_dirs, data_dir=None, lr_u8=None, noise=None):
    """-> {fixture name: dict}; low2high_dirs: a dir or a list of dirs (fixture named after each dir)."""
    if lr_u8 is None:
        lr_u8, noise = inputs(data_dir)
    common = {'generated_by': GENERATED_BY, 'layout': 'NHWC', 'seed': SEED,
              'lr_u8_base64': base64.b64encode(lr_u8.tobytes()).decode(), 'lr_shape': list(lr_u8.shape),
              'input_note': 'x = u8/127.5 - 1; degrader HR = nearest x4 of the 16x16 faces (64x64)',
              'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3 per case; stats within 1e-3 of the output max-abs'}
    out = {}
    if degrader_dir:
        mj, W = read_exported(degrader_dir)
        img = degrader_forward(W, u8_to_nchw(lr_u8, 4), torch.from_numpy(noise)).permute(0, 2, 3, 1).numpy()
        out['degrader'] = {'model': 'degrader', **common, 'weights_integrity': mj['integrity'],
                           'noise': [r6(r) for r in noise],
                           'cases': [crop(img, 0, 0, 16, 16, [0]), crop(img, 6, 6, 4, 4, [1])], 'stats': image_stats(img)}
    if isinstance(low2high_dirs, str):
        low2high_dirs = [low2high_dirs]
    for d in low2high_dirs or []:
        mj, W = read_exported(d)
        img = low2high_forward(W, u8_to_nchw(lr_u8)).permute(0, 2, 3, 1).numpy()
        name = os.path.basename(os.path.normpath(d))
        out[name] = {'model': name, **common,
                           'weights_integrity': mj['integrity'],
                           'cases': [crop(img, 28, 28, 8, 8, [0, 1]), crop(img, 0, 0, 4, 4, [0, 1]),
                                     crop(img, 60, 60, 4, 4, [1])], 'stats': image_stats(img)}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--degrader', default=os.path.join(WEIGHTS_DIR, 'degrader'))
    ap.add_argument('--low2high', nargs='*', default=[os.path.join(WEIGHTS_DIR, n) for n in ('low2high', 'low2high-bicubic')])
    ap.add_argument('--out-dir', default=FIXTURES_DIR)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    fx = make_fixtures(a.degrader if os.path.isdir(a.degrader) else None,
                       [d for d in a.low2high if os.path.isdir(d)], a.data_dir)
    for name, f in fx.items():
        p = os.path.join(a.out_dir, f'{name}-parity.json')
        print(f'wrote {p} ({write_fixture(p, f) / 1024:.1f} KB)')


if __name__ == '__main__':
    main()
