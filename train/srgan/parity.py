"""Parity fixtures for src/models/srresnet.ts (DESIGN §4: max relative error <= 1e-3, float32):

  /usr/bin/python3 -m train.srgan.parity      # -> test/fixtures/{srresnet-mse,srresnet-content,srgan}-parity.json

The EXPORTED weights (float16-rounded, what the browser decodes) run through the plain-op PyTorch
forwards of train/srgan/export.py (srresnet_forward, discriminator_logit_map). Input, stored in
the fixture: two 16x16 uint8 RGB faces (bicubic x1/4 of faces64 TEST faces 0 and 1, as the nets
were trained), x = u8/127.5 - 1. Recorded: the generator's 8x8 centre and 4x4 corners for both
samples (edges: the 9x9 head/tail convs and the pixel shuffle), per-sample mean/std/min/max, and,
for weights that hold D, its whole 4x4 logit map of the nearest-x4 input (stride-2 padding) and of
the generator's output.
"""
import argparse
import base64
import os

import numpy as np
import torch

from train.common.data import load_faces64
from train.common.export import image_stats, r6, read_exported, write_parity_fixtures
from train.common.images import bicubic_down, to_float, to_u8
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.srgan.export import discriminator_logit_map, srresnet_forward

GENERATED_BY = 'train/srgan/parity.py'
NAMES = ('srresnet-mse', 'srresnet-content', 'srgan')


def inputs(data_dir=None):
    """-> uint8 [2,16,16,3]: bicubic x1/4 of faces64 test faces 0 and 1."""
    hr = to_float(load_faces64(data_dir, 'test', limit=None)[:2])
    return to_u8(bicubic_down(hr))


def u8_to_nchw(u8, up=1):
    x = torch.from_numpy(u8.astype(np.float32) / 127.5 - 1.0).permute(0, 3, 1, 2)
    return x.repeat_interleave(up, 2).repeat_interleave(up, 3) if up > 1 else x


def crop(img, y, x, h, w, samples):
    return {'samples': samples, 'crop': {'y': y, 'x': x, 'h': h, 'w': w},
            'values': r6(img[samples, y:y + h, x:x + w, :])}


def make_fixture(model_dir, lr_u8):
    mj, W = read_exported(model_dir)
    lr = u8_to_nchw(lr_u8)
    sr = srresnet_forward(W, lr)
    img = sr.permute(0, 2, 3, 1).numpy()
    name = os.path.basename(os.path.normpath(model_dir))
    fx = {'model': name, 'generated_by': GENERATED_BY, 'layout': 'NHWC', 'weights_integrity': mj['integrity'],
          'lr_u8_base64': base64.b64encode(lr_u8.tobytes()).decode(), 'lr_shape': list(lr_u8.shape),
          'input_note': 'x = u8/127.5 - 1 (16x16); D input: nearest x4 of x, and the generator output',
          'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3 per case; stats within 1e-3 of the output max-abs',
          'cases': [crop(img, 28, 28, 8, 8, [0, 1]), crop(img, 0, 0, 4, 4, [0, 1]), crop(img, 60, 60, 4, 4, [0, 1])],
          'stats': image_stats(img)}
    if 'd/first/w' in W:
        fx['d_logits_nearest'] = r6(discriminator_logit_map(W, u8_to_nchw(lr_u8, 4)).permute(0, 2, 3, 1).numpy())
        fx['d_logits_sr'] = r6(discriminator_logit_map(W, sr).permute(0, 2, 3, 1).numpy())
    return name, fx


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--weights', nargs='*', default=[os.path.join(WEIGHTS_DIR, n) for n in NAMES],
                    help='exported model folders (those that exist are used); the fixture is named after each')
    ap.add_argument('--out-dir', default=FIXTURES_DIR)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    lr_u8 = inputs(a.data_dir)
    write_parity_fixtures(a.weights, a.out_dir, lambda d: make_fixture(d, lr_u8))

if __name__ == '__main__':
    main()
