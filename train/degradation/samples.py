"""Sample sheets for the degradation pipeline's model cards (from the EXPORTED weights).

  /usr/bin/python3 train/degradation_samples.py      # -> static/weights/{degrader,low2high,low2high-bicubic}/samples.png

The HR faces are GENERATED: eight seeded latents through the shipped ProGAN generator
(static/weights/progan, exported arrays, train/exported.py). No dataset face (UTKFace HR,
real-LR WIDER crops) and nothing derived from one goes into these committed PNGs.

degrader/samples.png (8 faces per row, 16x16 images shown nearest x4): see SAMPLE_ROWS.
low2high*/samples.png: ProGAN HR, its degrader LR and this model on it, its bicubic LR and
this model on it (so both twins can be compared on both kinds of input).

Each run also rewrites the `samples` field of the card next to the PNG so the card says
exactly what the sheet shows.
"""
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

from train.degradation.export import bicubic_down, degrader_forward, low2high_forward
from train.progan.exported import forward_exported, read_exported
from train.common.paths import REPO_ROOT

WEIGHTS = os.path.join(REPO_ROOT, 'static', 'weights')
HR_SEED = 2024  # torch seed of the eight ProGAN latents
NOISE_SEED = 0  # torch seed of the degrader noise draws

_HR_ROW = 'ProGAN-generated HR faces (static/weights/progan, 8 seeded latents; no dataset faces)'
SAMPLE_ROWS = {
    'degrader': [_HR_ROW, 'bicubic 64->16 of them (nearest x4)', 'this degrader, noise draw z1',
                 'this degrader, noise draw z2', 'this degrader, noise draw z3'],
    'low2high': [_HR_ROW, 'their degrader LR (nearest x4)', 'this model on it',
                 'their bicubic LR (nearest x4)', 'this model on it'],
}


def sample_rows(kind):
    """The row captions of a model's samples.png (kind: 'degrader' or 'low2high')."""
    return list(SAMPLE_ROWS['degrader' if kind == 'degrader' else 'low2high'])


def samples_field(kind):
    return {'png': 'samples.png', 'made_by': 'train/degradation_samples.py (exported weights)',
            'hr_source': f'ProGAN generator (static/weights/progan), torch.manual_seed({HR_SEED}) latents',
            'rows': sample_rows(kind)}


def sheet(rows, path):
    tiles = []
    for r in rows:
        r = r.clamp(-1, 1)
        if r.shape[-1] != 64:
            r = r.repeat_interleave(64 // r.shape[-1], 2).repeat_interleave(64 // r.shape[-1], 3)
        tiles.append(torch.cat(list(r), 2))
    img = torch.cat(tiles, 1)
    a = ((img.permute(1, 2, 0).numpy() + 1) * 127.5).round().astype(np.uint8)
    Image.fromarray(a).save(path, optimize=True)
    print(f'wrote {path}')


def update_card(model_dir, kind):
    path = os.path.join(model_dir, 'card.json')
    if not os.path.exists(path):
        return
    with open(path) as f:
        card = json.load(f)
    card['samples'] = samples_field(kind)
    with open(path, 'w') as f:
        json.dump(card, f, indent=1, ensure_ascii=False)


@torch.no_grad()
def progan_faces(weights, n=8, seed=HR_SEED):
    """n generated 64x64 faces, NCHW in [-1, 1], from the shipped ProGAN weights."""
    _, Wg = read_exported(os.path.join(weights, 'progan'))
    latent = Wg['g/4/dense/w'].shape[0]
    z = torch.randn(n, latent, generator=torch.Generator().manual_seed(seed))
    return forward_exported(Wg, z, 64).clamp(-1, 1)


@torch.no_grad()
def main(weights=WEIGHTS):
    torch.set_num_threads(1)
    hr = progan_faces(weights)
    bic = bicubic_down(hr)
    deg_dir = os.path.join(weights, 'degrader')
    Wd = read_exported(deg_dir)[1] if os.path.isdir(deg_dir) else None
    if Wd is not None:
        g = torch.Generator().manual_seed(NOISE_SEED)
        rows = [hr, bic] + [degrader_forward(Wd, hr, torch.randn(8, 100, generator=g)) for _ in range(3)]
        sheet(rows, os.path.join(deg_dir, 'samples.png'))
        update_card(deg_dir, 'degrader')
    for name in ('low2high', 'low2high-bicubic'):
        d = os.path.join(weights, name)
        if not os.path.isdir(d) or Wd is None:
            continue
        _, W = read_exported(d)
        deg = degrader_forward(Wd, hr, torch.randn(8, 100, generator=torch.Generator().manual_seed(NOISE_SEED + 1)))
        sheet([hr, deg, low2high_forward(W, deg), bic, low2high_forward(W, bic)], os.path.join(d, 'samples.png'))
        update_card(d, 'low2high')


if __name__ == '__main__':
    main(*sys.argv[1:2])
