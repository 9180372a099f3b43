"""Parity fixtures for src/models/jointSr.ts (DESIGN §4: max relative error <= 1e-3, float32):

  /usr/bin/python3 -m train.joint_sr.parity      # -> test/fixtures/joint-sr{,-noblur,-nolocal}-parity.json

The EXPORTED weights (float16-rounded, what the browser decodes) run through the plain-op PyTorch
forwards of train/joint_sr/export.py (joint_sr_forward, score_map). Input, stored in the fixture: two
16x16 uint8 RGB LR faces, made as in training from faces128 TEST faces 0 and 1: motion blur
(length 8, angle 30; length 0), bicubic x1/8, x = u8/127.5 - 1. Recorded for each output (feature,
blurred where the branch exists, sharp): the 8x8 centre and the 4x4 corners of both samples and
per-sample stats; D_g's whole 8x8 score map of cat(feature, sharp); where the weights hold D_l, its
score map of mask * sharp, the mask from the test faces' cached landmarks (points and bits stored).
"""
import argparse
import base64
import os

import numpy as np
import torch

from train.common.export import image_stats, r6, read_exported, write_parity_fixtures
from train.common.images import to_u8
from train.common.landmarks import read_prefix_cache
from train.common.paths import FIXTURES_DIR, LANDMARK_DIR, WEIGHTS_DIR
from train.joint_sr.evaluate import degrade_set, test_faces
from train.joint_sr.export import joint_sr_forward, score_map
from train.joint_sr.mask import face_masks

GENERATED_BY = 'train/joint_sr/parity.py'
NAMES = ('joint-sr', 'joint-sr-noblur', 'joint-sr-nolocal')
KERNELS = {'lengths': [8.0, 0.0], 'angles': [30.0, 0.0]}


def inputs(data_dir=None, landmark_dir=LANDMARK_DIR):
    """-> (uint8 LR [2,16,16,3], landmarks [2,68,2], uint8 masks [2,128,128]) of faces128 test faces 0 and 1."""
    hr = test_faces(2, data_dir)
    lr = degrade_set(hr, np.array(KERNELS['lengths']), np.array(KERNELS['angles']))
    pts, _ = read_prefix_cache(landmark_dir, 'test')
    return to_u8(lr), pts[:2], face_masks(pts[:2])


def crop(img, y, x, h, w, samples):
    return {'samples': samples, 'crop': {'y': y, 'x': x, 'h': h, 'w': w},
            'values': r6(img[samples, y:y + h, x:x + w, :])}


def output_record(t):
    img = t.permute(0, 2, 3, 1).numpy()
    return {'cases': [crop(img, 60, 60, 8, 8, [0, 1]), crop(img, 0, 0, 4, 4, [0, 1]), crop(img, 124, 124, 4, 4, [0, 1])],
            'stats': image_stats(img)}


def make_fixture(model_dir, lr_u8, points, masks):
    mj, W = read_exported(model_dir)
    x = torch.from_numpy(lr_u8.astype(np.float32) / 127.5 - 1.0).permute(0, 3, 1, 2)
    out = joint_sr_forward(W, x)
    name = os.path.basename(os.path.normpath(model_dir))
    fx = {'model': name, 'generated_by': GENERATED_BY, 'layout': 'NHWC', 'weights_integrity': mj['integrity'],
          'lr_u8_base64': base64.b64encode(lr_u8.tobytes()).decode(), 'lr_shape': list(lr_u8.shape),
          'input_note': 'x = u8/127.5 - 1 (16x16): faces128 test 0 and 1, motion blur (8 px, 30 deg) and none, '
                        'bicubic x1/8',
          'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3 per case; stats within 1e-3 of the output max-abs',
          'outputs': {k: output_record(v) for k, v in out.items() if v is not None},
          'dg_scores': r6(score_map(W, 'dg', torch.cat([out['feature'], out['sharp']], 1)).permute(0, 2, 3, 1).numpy()),
          'dg_note': 'D_g score map [2,8,8,1] of cat(feature, sharp) (channels: feature first)'}
    if 'dl/c1/w' in W:
        m = torch.from_numpy(masks.astype(np.float32))[:, None]
        fx['dl_scores'] = r6(score_map(W, 'dl', m * out['sharp']).permute(0, 2, 3, 1).numpy())
        fx['dl_note'] = 'D_l score map [2,8,8,1] of mask * sharp; mask = the face mask of `landmarks` (faceMask rule)'
        fx['landmarks'] = r6(points)
        fx['mask_bits_base64'] = [base64.b64encode(np.packbits(mm.ravel())).decode() for mm in masks]
    return name, fx


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--weights', nargs='*', default=[os.path.join(WEIGHTS_DIR, n) for n in NAMES],
                    help='exported model folders (those that exist are used); the fixture is named after each')
    ap.add_argument('--out-dir', default=FIXTURES_DIR)
    ap.add_argument('--data-dir', default=None)
    ap.add_argument('--landmark-dir', default=LANDMARK_DIR)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    lr_u8, points, masks = inputs(a.data_dir, a.landmark_dir)
    write_parity_fixtures(a.weights, a.out_dir, lambda d: make_fixture(d, lr_u8, points, masks))

if __name__ == '__main__':
    main()
