"""Small seeded HR augmentation (Bulat et al. 2018 §3.6: "random image flipping, scaling, rotation
and colour jittering"); flips stay in data.Batches. Applied to the HR face BEFORE the LR is made
from it, so input and target see the same transform.

Every draw comes from one numpy Generator whose state is a plain dict (`state_dict`), so a
checkpoint resumes the exact stream. Ranges are small on purpose: the faces are already
detector-aligned crops, and the real-LR faces the net must serve are aligned the same way.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

DEFAULTS = dict(scale=0.05, rotate_deg=5.0, brightness=0.1, contrast=0.1, saturation=0.1)


class HrAugment:
    """x [N,3,H,W] in [-1,1] -> the same shape in [-1,1]: per image a random zoom in
    [1-scale, 1+scale], rotation in [-rotate_deg, rotate_deg], and colour jitter (brightness
    added, contrast and saturation as factors in [1-c, 1+c]); border pixels repeat outwards."""

    def __init__(self, seed=0, **ranges):
        self.r = dict(DEFAULTS, **ranges)
        self.rng = np.random.default_rng(seed)

    def draw(self, n):
        """-> per-image parameters (numpy arrays), in a fixed draw order."""
        u = lambda: self.rng.uniform(-1.0, 1.0, n)  # noqa: E731
        return dict(zoom=1.0 + self.r['scale'] * u(), angle=np.deg2rad(self.r['rotate_deg']) * u(),
                    brightness=self.r['brightness'] * u(), contrast=1.0 + self.r['contrast'] * u(),
                    saturation=1.0 + self.r['saturation'] * u())

    def __call__(self, x):
        p = self.draw(x.shape[0])
        return colour_jitter(affine(x, p['zoom'], p['angle']), p['brightness'], p['contrast'], p['saturation'])

    def state_dict(self):
        return {'rng': self.rng.bit_generator.state, 'ranges': dict(self.r)}

    def load_state_dict(self, s):
        self.rng.bit_generator.state = s['rng']


def affine(x, zoom, angle):
    """Zoom (>1 magnifies) and rotate each image about its centre (bilinear, border padding)."""
    n = x.shape[0]
    theta = torch.zeros(n, 2, 3, dtype=x.dtype)
    for i in range(n):
        c, s = math.cos(angle[i]) / zoom[i], math.sin(angle[i]) / zoom[i]
        theta[i, 0, 0], theta[i, 0, 1], theta[i, 1, 0], theta[i, 1, 1] = c, -s, s, c
    grid = F.affine_grid(theta.to(x.device), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='border', align_corners=False)


def colour_jitter(x, brightness, contrast, saturation):
    """Per image: saturation (blend with its luma), contrast (about its mean), brightness (offset)."""
    t = lambda a: torch.as_tensor(a, dtype=x.dtype, device=x.device).view(-1, 1, 1, 1)  # noqa: E731
    luma = (0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3])
    x = luma + (x - luma) * t(saturation)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = mean + (x - mean) * t(contrast)
    return (x + 2.0 * t(brightness)).clamp(-1.0, 1.0)  # brightness as a fraction of [0,1] -> x2 in [-1,1]
