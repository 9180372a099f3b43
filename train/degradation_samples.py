"""Sample sheets for the degradation pipeline's model cards (from the EXPORTED weights).

  /usr/bin/python3 train/degradation_samples.py      # -> static/weights/{degrader,low2high,low2high-bicubic}/samples.png

degrader/samples.png (8 faces per row, 16x16 images shown nearest x4):
  row 1  faces64 TEST HR faces 0..7 (64x64)
  row 2  bicubic 64 -> 16
  rows 3-5  degrader output, three noise draws z ~ N(0, I)
  row 6  eight real-LR TRAIN faces (what the degrader's discriminator saw as "real")
low2high*/samples.png:
  row 1  real-LR TEST faces 0..7 (nearest x4)      row 2  this model's 64x64 output
  row 3  the same HR test faces as above            row 4  SR of their degrader (or bicubic) LR
"""
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import load_faces64, to_float  # noqa: E402
from export_common import bicubic_down, degrader_forward, low2high_forward  # noqa: E402
from exported import read_exported  # noqa: E402
from lr_data import load_real_lr  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WEIGHTS = os.path.join(REPO_ROOT, 'static', 'weights')


def sheet(rows, path):
    tiles = []
    for r in rows:
        r = r.clamp(-1, 1)
        if r.shape[-1] != 64:
            r = r.repeat_interleave(64 // r.shape[-1], 2).repeat_interleave(64 // r.shape[-1], 3)
        tiles.append(torch.cat(list(r), 2))
    img = torch.cat(tiles, 1)
    a = ((img.permute(1, 2, 0).numpy() + 1) * 127.5).round().astype(np.uint8)
    Image.fromarray(a).save(path)
    print(f'wrote {path}')


@torch.no_grad()
def main(weights=WEIGHTS):
    torch.set_num_threads(1)
    hr = to_float(load_faces64(None, 'test')[:8])
    real_train, _ = load_real_lr(None, 'train', 16, limit=8, seed=5)
    real_test, _ = load_real_lr(None, 'test', 16, allow_test=True)
    real_test = to_float(real_test[:8])
    g = torch.Generator().manual_seed(0)
    deg_dir = os.path.join(weights, 'degrader')
    Wd = read_exported(deg_dir)[1] if os.path.isdir(deg_dir) else None
    if Wd is not None:
        rows = [hr, bicubic_down(hr)] + [degrader_forward(Wd, hr, torch.randn(8, 100, generator=g)) for _ in range(3)]
        sheet(rows + [to_float(real_train)], os.path.join(deg_dir, 'samples.png'))
    for name in ('low2high', 'low2high-bicubic'):
        d = os.path.join(weights, name)
        if not os.path.isdir(d):
            continue
        _, W = read_exported(d)
        lr = bicubic_down(hr) if name.endswith('bicubic') or Wd is None else \
            degrader_forward(Wd, hr, torch.randn(8, 100, generator=torch.Generator().manual_seed(1)))
        sheet([real_test, low2high_forward(W, real_test), hr, low2high_forward(W, lr)], os.path.join(d, 'samples.png'))


if __name__ == '__main__':
    main()
