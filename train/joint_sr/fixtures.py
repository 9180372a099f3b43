"""Shared fixtures for the TS twins of the degradation and the face mask (the joint spec):

  /usr/bin/python3 -m train.joint_sr.fixtures   # -> test/fixtures/joint-sr-kernels.json, joint-sr-mask.json

joint-sr-kernels.json: motion_blur_kernel(length, angle) for a few cases (float32 values, row-major,
as motionBlurKernel in src/lib/image/kernels.ts returns them) and an 8x8 RGB patch (u8/127.5 - 1,
NHWC) blurred by three of them as blur() in src/lib/image/tensor.ts does (the length-16 kernel's pad
of 8 reaches the patch size: repeated reflection).
joint-sr-mask.json: landmark sets (68 x (x, y), 128-px coordinates) with their polygon and expected
face mask as base64 of np.packbits (row-major, most significant bit first) and the pixel count.
"""
import argparse
import base64
import os

import numpy as np
import torch

from train.common.data import load_faces128
from train.common.export import write_fixture
from train.common.landmarks import read_prefix_cache
from train.common.paths import FIXTURES_DIR, LANDMARK_DIR
from train.joint_sr.blur import blur_batch, motion_blur_kernel
from train.joint_sr.mask import face_mask, face_polygon

GENERATED_BY = 'train/joint_sr/fixtures.py'
KERNEL_CASES = [(0, 0), (1, 0), (4, 0), (3, 45), (5, 30), (7.3, 30), (12, 60), (12.5, 135.7), (16, 90), (16, 179.5)]
PATCH_KERNELS = [(5, 30), (12, 60), (16, 179.5)]


def exact(a):
    """float32 values as the shortest decimal that reads back to the same float32 (via float64 repr)."""
    return [float(v) for v in np.asarray(a, np.float32).ravel()]


def kernels_fixture(data_dir=None):
    hr, _ = load_faces128(data_dir, 'test', indices=[0])
    patch_u8 = hr[0, 60:68, 56:64]  # 8x8 around the nose: structure in every direction
    x = torch.from_numpy(patch_u8.astype(np.float32) / 127.5 - 1).permute(2, 0, 1)[None]
    blurred = []
    for length, angle in PATCH_KERNELS:
        k = torch.from_numpy(motion_blur_kernel(length, angle))
        y = blur_batch(x, k)[0].permute(1, 2, 0).numpy()
        blurred.append({'length': length, 'angle': angle, 'values': exact(y)})
    return {'generated_by': GENERATED_BY, 'tolerance': 'kernels and blurred values to 1e-6 absolute',
            'kernels': [{'length': l, 'angle': a, 'width': int(k.shape[1]), 'height': int(k.shape[0]), 'data': exact(k)}
                        for l, a in KERNEL_CASES for k in [motion_blur_kernel(l, a)]],
            'patch': {'source': 'faces128 test 0, rows 60..67, cols 56..63', 'shape': [8, 8, 3], 'layout': 'HWC',
                      'u8_base64': base64.b64encode(np.ascontiguousarray(patch_u8).tobytes()).decode(),
                      'x': 'u8 / 127.5 - 1'},
            'blurred': blurred}


def mask_case(name, points):
    m = face_mask(points)
    return {'name': name, 'points': exact(points), 'polygon': [round(float(v), 6) for v in face_polygon(points).ravel()],
            'mask_bits_base64': base64.b64encode(np.packbits(m.ravel())).decode(), 'count': int(m.sum())}


def mask_fixture(landmark_dir=LANDMARK_DIR):
    train, _ = read_prefix_cache(landmark_dir, 'train')
    test, _ = read_prefix_cache(landmark_dir, 'test')
    mirrored = train[0].copy()
    mirrored[:, 0] = 128 - mirrored[:, 0]  # a horizontal flip of the face (not the mirrored mask: the order differs)
    rng = np.random.default_rng(7)
    jitter = test[1] + rng.normal(0, 3, test[1].shape).astype(np.float32)  # an uneven, self-crossing-prone outline
    cases = [mask_case('faces128 train 0', train[0]), mask_case('faces128 train 1', train[1]),
             mask_case('faces128 test 0', test[0]), mask_case('faces128 train 0 flipped (x -> 128 - x)', mirrored),
             mask_case('faces128 test 1 + N(0, 3 px) jitter (seed 7)', jitter)]
    return {'generated_by': GENERATED_BY, 'size': 128,
            'rule': 'h = p8.y - mean(p17..26 .y); q_k = (p_k.x, p_k.y - 0.2 h), k = 26..17; polygon p0..p16, q26..q17; '
                    'pixel (i, j) inside by even-odd at centre (j + 0.5, i + 0.5); edge a->b crosses when '
                    '(a.y > py) != (b.y > py) and px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x',
            'bits': 'np.packbits of the row-major [128,128] mask, MSB first', 'cases': cases}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out-dir', default=FIXTURES_DIR)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    for name, fx in (('joint-sr-kernels.json', kernels_fixture(a.data_dir)), ('joint-sr-mask.json', mask_fixture())):
        p = os.path.join(a.out_dir, name)
        print(f'wrote {p} ({write_fixture(p, fx) / 1024:.1f} KB)')


if __name__ == '__main__':
    main()
