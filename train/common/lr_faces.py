"""The "real LR" face domain (../shared/data/lr-faces): 869 small faces cut from WIDER FACE
scenes (+ one selfie photo), 16x16 and 32x32 PNGs in ustar tars; manifest.json splits are
half-open index ranges (train [0, 765), test [765, 869)). WIDER FACE: non-commercial research
only (see manifest 'licence').

Training code calls `load_real_lr(split='train')` only; it refuses anything else unless
`allow_test=True` is passed explicitly (the FID-proxy evaluation in train/degradation/eval.py).
"""
import io
import json
import os
import tarfile

import numpy as np
from PIL import Image

from train.common.data import resolve_data_dir


def lr_dir(data_dir=None):
    d = resolve_data_dir(data_dir)
    for cand in (os.path.join(d, 'lr-faces'), d, os.path.join(os.path.dirname(d), 'lr-faces')):
        if os.path.isfile(os.path.join(cand, 'real-lr16.tar')):
            return cand
    raise FileNotFoundError(f'real-lr16.tar not found under {d} (or its lr-faces/ folder)')


def manifest(data_dir=None):
    with open(os.path.join(lr_dir(data_dir), 'manifest.json')) as f:
        return json.load(f)


def split_indices(man, split):
    lo, hi = man['splits'][split]
    idx = [it['index'] for it in man['items'] if it['split'] == split]
    if sorted(idx) != list(range(lo, hi)):
        raise ValueError(f'manifest items for split {split!r} disagree with its index range [{lo}, {hi})')
    return idx


def load_real_lr(data_dir=None, split='train', px=16, limit=None, seed=0, allow_test=False):
    """uint8 [N,px,px,3] and the list of dataset indices used (sorted)."""
    if split != 'train' and not allow_test:
        raise ValueError('training code may only read the lr-faces train split')
    man = manifest(data_dir)
    idx = split_indices(man, split)
    if limit is not None and limit < len(idx):
        idx = sorted(np.random.default_rng(seed).choice(idx, size=limit, replace=False).tolist())
    if split == 'train':
        lo, hi = man['splits']['test']
        assert not any(lo <= i < hi for i in idx), 'test-split index in a training set'
    names = {f'{i:06d}.png': k for k, i in enumerate(idx)}
    out = np.empty((len(idx), px, px, 3), np.uint8)
    seen = 0
    with tarfile.open(os.path.join(lr_dir(data_dir), f'real-lr{px}.tar')) as tf:
        for m in tf.getmembers():
            k = names.get(os.path.basename(m.name))
            if k is not None:
                out[k] = np.asarray(Image.open(io.BytesIO(tf.extractfile(m).read())).convert('RGB'))
                seen += 1
    if seen != len(idx):
        raise ValueError(f'found {seen} of {len(idx)} members in real-lr{px}.tar')
    return out, [int(i) for i in idx]


def licence(data_dir=None):
    return manifest(data_dir)['licence']
