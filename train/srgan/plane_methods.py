"""The SR methods of the perception-distortion plane (train/srgan/plane.py) and the LR each one gets.

Every method sees the LR it was trained for, made from the SAME HR test faces (faces64 test index
i; faces128 index i is the same UTKFace image at 128 px, data manifest), rounded to 8 bits (what an
LR image file holds):
  bicubic-lr     bicubic x1/4 (antialiased, a=-0.5) of the 64 px HR   bicubic x4, low2high-bicubic,
                                                                    srresnet-*, srgan, SR-NAM
  degrader-lr    the shipped High-to-Low degrader on the 64 px HR,   low2high (trained on exactly
                 z ~ N(0, I) seeded NOISE_SEED (as the claims use)  these outputs, fresh z per batch)
  bilinear128-lr bilinear (antialiased) 128 -> 16 of the 128 px     progressive-sr, -noatt (§4.1 of
                 version of the face                                paper 003, their training LR)
The runners are real_lr_eval.sr_fn's (bicubic, low2high*, progressive-sr* at 64 by area /2) plus
export.srresnet_forward for the three SRResNet/SRGAN nets; all use the EXPORTED float16 weights.
"""
import os

import torch

from train.common.data import load_faces128
from train.common.export import read_exported, weights_sha
from train.common.images import bicubic_down, bilinear_down, to_float, to_u8
from train.degradation.eval import NOISE_SEED, batched
from train.degradation.real_lr_eval import sr_fn
from train.degrader.export import degrader_forward
from train.srgan.export import srresnet_forward

LR_KINDS = {
    'bicubic-lr': 'bicubic x1/4 (antialiased, a=-0.5) of the 64 px HR, 8-bit',
    'degrader-lr': f'the shipped High-to-Low degrader on the 64 px HR, z ~ N(0, I) seeded {NOISE_SEED}, 8-bit '
                   '(what low2high was trained on)',
    'bilinear128-lr': 'bilinear (antialiased) 128 -> 16 of the same face at 128 px (faces128 test, same index), 8-bit '
                      '(progressive SR training LR, paper 003 §4.1)',
}

# name -> (label, LR kind, weights folder or None, what it is)
METHODS = {
    'bicubic': ('bicubic x4', 'bicubic-lr', None, 'no learning'),
    'low2high': ('Low-to-High', 'degrader-lr', 'low2high', 'pixel MSE + 0.05 hinge GAN (paper 001)'),
    'low2high-bicubic': ('Low-to-High (bicubic LR)', 'bicubic-lr', 'low2high-bicubic',
                         'pixel MSE + 0.05 hinge GAN (paper 001), bicubic LR'),
    'progressive-sr': ('progressive SR', 'bilinear128-lr', 'progressive-sr',
                       'pixel + feature + WGAN + attention + heatmap (paper 003); 128 px, area /2 to 64'),
    'progressive-sr-noatt': ('progressive SR, no attention', 'bilinear128-lr', 'progressive-sr-noatt',
                             'as progressive SR without the attention loss; 128 px, area /2 to 64'),
    'srresnet-mse': ('SRResNet-MSE', 'bicubic-lr', 'srresnet-mse', 'pixel MSE (paper 004 Eq. 4)'),
    'srresnet-content': ('SRResNet-content', 'bicubic-lr', 'srresnet-content',
                         'face-net feature content loss (paper 004 Eq. 5)'),
    'srgan': ('SRGAN', 'bicubic-lr', 'srgan', 'content + 1e-3 adversarial (paper 004 Eq. 3, 6)'),
}
SRNAM_METHODS = {
    'srnam-best': ('SR-NAM best of K', 'bicubic-lr', 'progan',
                   'latent search, Eq. 6 of paper 000 through bicubic /4; lowest LR loss of K restarts'),
    'srnam-mean': ('SR-NAM mean of K', 'bicubic-lr', 'progan',
                   'the pixel mean of the same K candidates (the "blurry mean")'),
}


def make_lrs(hr_u8, weights_dir, data_dir=None, kinds=None):
    """HR uint8 [N,64,64,3] (faces64 test, first N) -> {LR kind: float [N,3,16,16] in [-1,1], 8-bit levels}."""
    kinds = kinds or set(LR_KINDS)
    hr = to_float(hr_u8)
    out = {}
    if 'bicubic-lr' in kinds:
        out['bicubic-lr'] = to_float(to_u8(batched(bicubic_down, hr)))
    if 'degrader-lr' in kinds:
        _, Wd = read_exported(os.path.join(weights_dir, 'degrader'))
        z = torch.randn(len(hr), 100, generator=torch.Generator().manual_seed(NOISE_SEED))
        out['degrader-lr'] = to_float(to_u8(torch.cat([degrader_forward(Wd, hr[i:i + 100], z[i:i + 100])
                                                       for i in range(0, len(hr), 100)])))
    if 'bilinear128-lr' in kinds:
        hr128, _ = load_faces128(data_dir, 'test', limit=len(hr))
        out['bilinear128-lr'] = to_float(to_u8(batched(lambda x: bilinear_down(x, 16), to_float(hr128))))
    return out


def missing(name, weights_dir):
    """None when the method can run, else the line saying why not."""
    folder = METHODS[name][2]
    if folder is None:
        return None
    p = os.path.join(weights_dir, folder, 'model.json')
    return None if os.path.isfile(p) else f'{p} not found (not trained/exported yet)'


def run_method(name, lr, weights_dir):
    """-> (uint8 [N,64,64,3] outputs, weights sha256 or None)."""
    folder = METHODS[name][2]
    if folder and folder.startswith(('srresnet', 'srgan')):
        d = os.path.join(weights_dir, folder)
        _, W = read_exported(d)
        return to_u8(batched(lambda x: srresnet_forward(W, x), lr, 50)), weights_sha(d)
    fn, sha = sr_fn(name, weights_dir)
    with torch.no_grad():
        return to_u8(batched(fn, lr, 50)), sha
