"""Stage sample dumps for the FID-proxy curve of the model card.

At the start (untrained G) and at the end of every stabilise phase (each level's stage end),
the EMA generator (the exported one) renders `count` fixed, seeded latents at that level
(alpha 1), nearest-upsampled to 64x64, saved as uint8 NHWC `.npy` in `<run>/samples/`, with
`<run>/samples/index.json`:

  {"count": 1000, "latent_seed": ..., "face_px": 64, "entries": [
    {"file": "untrained-4px.npy", "phase": "untrained", "level": 4, "level_index": 0,
     "images_seen": 0, "step": 0, "count": 1000, "seconds": 0.4}, ...]}

The latents come from their own torch.Generator, so dumping never touches the training RNG
(a run with dumps trains bit-identically to one without). `scripts/card-fid.js` measures
each dump against the faces64 test split and writes the result into card.json.
"""
import json
import os
import time

import numpy as np
import torch

from train.common.images import nearest_to, to_u8
from train.progan.configs import phases
from train.progan.model import RESOLUTIONS

LATENT_SEED_OFFSET = 2  # filmstrip latents use seed + 1


def stage_points(cfg):
    """{images_seen: level_index} at the end of every stabilise phase."""
    out, start = {}, 0
    for lvl, kind, n, _ in phases(cfg):
        start += n
        if kind == 'stab':
            out[start] = lvl
    return out


@torch.no_grad()
def render_samples(G, z, level, size=64, chunk=100):
    """uint8 NHWC [len(z), size, size, 3] at `level`, alpha 1, nearest-upsampled to size."""
    return np.concatenate([to_u8(nearest_to(G(z[i:i + chunk], level, 1.0), size)) for i in range(0, z.shape[0], chunk)])


class StageSamples:
    def __init__(self, out_dir, count, latent, seed, device):
        self.dir = os.path.join(out_dir, 'samples')
        self.count, self.latent, self.seed, self.device = count, latent, seed + LATENT_SEED_OFFSET, device
        self._z = None
        self.index = {'count': count, 'latent_seed': self.seed, 'face_px': 64,
                      'generator': 'G_ema (the exported weights), alpha 1, nearest-upsampled to 64x64',
                      'entries': []}
        path = os.path.join(self.dir, 'index.json')
        if count and os.path.exists(path):
            with open(path) as f:
                self.index['entries'] = json.load(f).get('entries', [])

    @property
    def enabled(self):
        return self.count > 0

    @property
    def z(self):
        if self._z is None:
            g = torch.Generator().manual_seed(self.seed)
            self._z = torch.randn(self.count, self.latent, generator=g).to(self.device)
        return self._z

    def has(self, images_seen):
        return any(e['images_seen'] == images_seen for e in self.index['entries']
                   if os.path.exists(os.path.join(self.dir, e['file'])))

    def reset(self):
        """A run starting from scratch: forget dumps of an earlier run in the same directory."""
        self.index['entries'] = []

    def dump(self, G, level_index, images_seen, step, phase):
        t = time.time()
        x = render_samples(G, self.z, level_index)
        px = RESOLUTIONS[level_index]
        name = f'untrained-{px}px.npy' if phase == 'untrained' else f'stab-end-{px}px-{images_seen:08d}.npy'
        os.makedirs(self.dir, exist_ok=True)
        tmp = os.path.join(self.dir, name + '.tmp')
        with open(tmp, 'wb') as f:
            np.save(f, x)
        os.replace(tmp, os.path.join(self.dir, name))
        entry = {'file': name, 'phase': phase, 'level': px, 'level_index': level_index,
                 'images_seen': images_seen, 'step': step, 'count': int(x.shape[0]),
                 'seconds': round(time.time() - t, 2)}
        self.index['entries'] = sorted([e for e in self.index['entries'] if e['images_seen'] != images_seen] + [entry],
                                       key=lambda e: e['images_seen'])
        self.index['count'] = self.count
        tmp = os.path.join(self.dir, 'index.json.tmp')
        with open(tmp, 'w') as f:
            json.dump(self.index, f, indent=1)
        os.replace(tmp, os.path.join(self.dir, 'index.json'))
        return entry
