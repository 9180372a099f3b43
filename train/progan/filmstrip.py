"""Training filmstrip: 16 fixed latents rendered by the (EMA) generator every N images.

Sprite PNG: one row per snapshot, 16 faces of 64x64 each (lower levels nearest-upsampled to
64 so rows line up); JSON: [{step, level (px), alpha, g_loss, d_loss, images_seen, row}].
"""
import json
import os

import numpy as np
import torch
from PIL import Image

from train.common.images import nearest_to, to_u8


def fixed_latents(count, latent, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(count, latent, generator=g)


@torch.no_grad()
def render_row(G, z, level, alpha, size=64):
    """[-1,1] NCHW at the current level -> one uint8 HWC strip of len(z) faces."""
    return np.concatenate(list(to_u8(nearest_to(G(z, level, alpha), size))), axis=1)  # [S, N*S, 3]


class Filmstrip:
    def __init__(self, rows=None, log=None):
        self.rows = rows or []
        self.log = log or []

    def add(self, row, **entry):
        entry['row'] = len(self.rows)
        self.rows.append(row)
        self.log.append({k: (round(v, 6) if isinstance(v, float) else v) for k, v in entry.items()})

    def save(self, out_dir, stem='filmstrip'):
        if not self.rows:
            return
        Image.fromarray(np.concatenate(self.rows, axis=0)).save(os.path.join(out_dir, stem + '.png'), optimize=True)
        with open(os.path.join(out_dir, stem + '.json'), 'w') as f:
            f.write('[\n' + ',\n'.join(json.dumps(e) for e in self.log) + '\n]\n')  # one snapshot per line

    def state_dict(self):
        return {'rows': self.rows, 'log': self.log}
