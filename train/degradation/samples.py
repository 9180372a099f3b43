"""Sample sheets for the degradation pipeline's model cards (from the EXPORTED weights).

  /usr/bin/python3 -m train.degradation.samples [WEIGHTS_DIR]   # -> static/weights/{degrader,low2high,low2high-bicubic}/samples.png

The HR faces are GENERATED: eight seeded latents through the shipped ProGAN generator
(static/weights/progan, exported arrays, train/progan/exported.py). No dataset face (UTKFace HR,
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

import torch
from PIL import Image

from train.common.export import read_exported, write_json
from train.common.images import bicubic_down, to_u8
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degradation.card import HR_SEED, samples_field
from train.degrader.export import degrader_forward
from train.low2high.export import low2high_forward
from train.progan.exported import forward_exported

NOISE_SEED = 0  # torch seed of the degrader noise draws


def sheet(rows, path):
    tiles = []
    for r in rows:
        r = r.clamp(-1, 1)
        if r.shape[-1] != 64:
            r = r.repeat_interleave(64 // r.shape[-1], 2).repeat_interleave(64 // r.shape[-1], 3)
        tiles.append(torch.cat(list(r), 2))
    Image.fromarray(to_u8(torch.cat(tiles, 1)[None])[0]).save(path, optimize=True)
    print(f'wrote {path}')


def update_card(model_dir, kind):
    path = os.path.join(model_dir, 'card.json')
    if not os.path.exists(path):
        return
    with open(path) as f:
        card = json.load(f)
    card['samples'] = samples_field(kind)
    write_json(path, card)


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
