"""Face data readers for training (see ../shared/data/faces/manifest.json).

Two containers hold the same UTKFace faces (Zhang, Song, Qi, CVPR 2017; non-commercial
research licence):
  * faces64-{train,test,lowq}.zip : ZIP, stored, members %06d.jpg, 64x64 JPEG (compact,
    the one a GPU run carries in the repo's git-ignored .data/ folder);
  * faces128-{split}-NNN.tar      : ustar shards, members %06d.jpg, 128x128 JPEG.
Everything decodes to uint8 NHWC RGB; images.to_float turns a batch into [-1, 1] NCHW for torch.

  /usr/bin/python3 -m train.common.data --limit 256               # counts and a quick stat
  /usr/bin/python3 -m train.common.data --source tar --split test  # the 128 px tar shards, box-downsampled to 64
"""
import argparse
import io
import json
import os
import tarfile
import zipfile

import numpy as np
from PIL import Image

from train.common.images import box_downsample
from train.common.paths import REPO_ROOT

DEFAULT_DATA_DIR = os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared', 'data'))
CARRIED_DATA_DIR = os.path.join(REPO_ROOT, '.data')


def resolve_data_dir(data_dir=None):
    """Explicit dir > repo/.data (carried to a GPU machine) > ../shared/data.

    A directory may be the `data` root (holding faces/) or the faces folder itself, or a
    flat folder with just the zip copied in; `find_file` copes with all three.
    """
    if data_dir:
        d = data_dir if os.path.isabs(data_dir) else os.path.join(REPO_ROOT, data_dir)
        if not os.path.isdir(d):
            raise FileNotFoundError(f'data dir not found: {d}')
        return os.path.normpath(d)
    if os.path.isdir(CARRIED_DATA_DIR) and os.listdir(CARRIED_DATA_DIR):
        return CARRIED_DATA_DIR
    return DEFAULT_DATA_DIR


def find_file(data_dir, name):
    for cand in (os.path.join(data_dir, name), os.path.join(data_dir, 'faces', name)):
        if os.path.isfile(cand):
            return cand
    raise FileNotFoundError(f'{name} not found under {data_dir} (or its faces/ folder)')


def decode(buf):
    return np.asarray(Image.open(io.BytesIO(buf)).convert('RGB'), dtype=np.uint8)


def take(members, limit, seed):
    """A seeded subset keeps the tiny config representative rather than the first N faces."""
    members = sorted(members)
    if limit is None or limit >= len(members):
        return members
    idx = np.random.default_rng(seed).choice(len(members), size=limit, replace=False)
    return [members[i] for i in sorted(idx)]


def read_zip64(path, limit=None, seed=0):
    """All (or a seeded subset of) JPEG members of a faces64 ZIP -> uint8 [N,64,64,3]."""
    with zipfile.ZipFile(path) as zf:
        names = take([n for n in zf.namelist() if n.endswith('.jpg')], limit, seed)
        out = np.empty((len(names), 64, 64, 3), np.uint8)
        for i, n in enumerate(names):
            out[i] = decode(zf.read(n))
    return out


def read_tar_shards(paths, limit=None, seed=0, size=None):
    """Members of faces128 tar shards -> uint8 [N,S,S,3]; `size` box-downsamples (e.g. 64)."""
    members = []  # (path, member name) so a subset can be drawn across shards
    for p in paths:
        with tarfile.open(p) as tf:
            members += [(p, m.name) for m in tf.getmembers() if m.isfile() and m.name.endswith('.jpg')]
    chosen = set(take(members, limit, seed))
    imgs = []
    for p in paths:
        with tarfile.open(p) as tf:
            for m in tf.getmembers():
                if (p, m.name) in chosen:
                    imgs.append(decode(tf.extractfile(m).read()))
    x = np.stack(imgs)
    if size and size != x.shape[1]:
        x = box_downsample(x, x.shape[1] // size)
    return x


def read_zip64_prefix(path, n):
    """Members 000000.jpg .. (n-1) of a faces64 ZIP, in index order -> uint8 [n,64,64,3]."""
    out = np.empty((n, 64, 64, 3), np.uint8)
    with zipfile.ZipFile(path) as zf:
        for i in range(n):
            out[i] = decode(zf.read(f'{i:06d}.jpg'))
    return out


def tar_shards_for(data_dir, dataset='faces128', split='train'):
    root = data_dir if os.path.isfile(os.path.join(data_dir, 'manifest.json')) else os.path.join(data_dir, 'faces')
    with open(os.path.join(root, 'manifest.json')) as f:
        man = json.load(f)
    return [os.path.join(root, s['file']) for s in man['datasets'][dataset]['splits'][split]['shards']]


def load_faces64(data_dir=None, split='train', limit=None, seed=0, source='zip'):
    """The training set for the 64x64 ProGAN: from the compact ZIP, or from the 128 tars."""
    d = resolve_data_dir(data_dir)
    if source == 'zip':
        return read_zip64(find_file(d, f'faces64-{split}.zip'), limit, seed)
    return read_tar_shards(tar_shards_for(d, 'faces128', split), limit, seed, size=64)


def load_faces128(data_dir=None, split='train', indices=None, limit=None):
    """faces128 members by split index (member %06d.jpg) -> (uint8 [N,128,128,3], int64 indices).

    `indices` picks exact faces (e.g. those a landmark cache covers, in the cache's order);
    otherwise the first `limit` faces of the split, in index order."""
    d = resolve_data_dir(data_dir)
    want = None if indices is None else {int(i): k for k, i in enumerate(indices)}
    got = {}
    for p in tar_shards_for(d, 'faces128', split):
        with tarfile.open(p) as tf:
            for m in tf.getmembers():
                if not (m.isfile() and m.name.endswith('.jpg')):
                    continue
                i = int(os.path.basename(m.name)[:-4])
                if (want is None and (limit is None or i < limit)) or (want is not None and i in want):
                    got[i] = decode(tf.extractfile(m).read())
    order = list(indices) if indices is not None else sorted(got)
    missing = [i for i in order if int(i) not in got]
    if missing:
        raise KeyError(f'{len(missing)} requested faces128-{split} indices not found (first {missing[:5]})')
    return np.stack([got[int(i)] for i in order]), np.asarray(order, dtype=np.int64)


class Batches:
    """Endless seeded epochs over a uint8 array, random horizontal flips per image.

    State (epoch, position, rng) is a plain dict so a checkpoint can resume the exact stream.
    """

    def __init__(self, images, seed=0, flip=True):
        self.images, self.flip, self.seed = images, flip, seed
        self.epoch, self.pos = 0, 0
        self.rng = np.random.default_rng(seed)
        self.order = self.rng.permutation(len(images))

    def next(self, batch):
        idx = []
        while len(idx) < batch:
            if self.pos >= len(self.order):
                self.epoch, self.pos = self.epoch + 1, 0
                self.order = self.rng.permutation(len(self.images))
            chunk = self.order[self.pos:self.pos + batch - len(idx)]
            idx.extend(chunk.tolist())
            self.pos += len(chunk)
        x = self.images[np.array(idx)]
        if self.flip:
            m = self.rng.random(batch) < 0.5
            x[m] = x[m, :, ::-1]
        return x

    def state_dict(self):
        return {'epoch': self.epoch, 'pos': self.pos, 'order': self.order.tolist(),
                'rng': self.rng.bit_generator.state}

    def load_state_dict(self, s):
        self.epoch, self.pos = s['epoch'], s['pos']
        self.order = np.array(s['order'], dtype=np.int64)
        self.rng.bit_generator.state = s['rng']


def main():
    ap = argparse.ArgumentParser(description='Inspect the face data (counts, shapes, a stat).')
    ap.add_argument('--data-dir', default=None, help='default: repo/.data if present, else ../shared/data')
    ap.add_argument('--split', default='train')
    ap.add_argument('--source', choices=['zip', 'tar'], default='zip')
    ap.add_argument('--limit', type=int, default=256)
    a = ap.parse_args()
    x = load_faces64(a.data_dir, a.split, a.limit, source=a.source)
    print(f'{resolve_data_dir(a.data_dir)}: {x.shape} {x.dtype} mean={x.mean():.1f}')


if __name__ == '__main__':
    main()
