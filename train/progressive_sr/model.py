"""Progressive face SR network of Kim et al. 2019 (paper 003, §3.1): 16 -> 32 -> 64 -> 128.

Generator (Fig. 1, §3.1: residual blocks with BatchNorm, transposed convolutions, ReLU):
  stem: 3x3 conv 3 -> w1 at 16x16, ReLU;
  step k = 1, 2, 3 (input 16*2^(k-1) px, output twice that):
    residual block  x + conv3x3(relu(bn(conv3x3(relu(bn(x))))))  at the input size,
    ConvTranspose 4x4 stride 2 pad 1 (w_k -> w_{k+1}, doubles the size), BN, ReLU,
    toRGB_k: 1x1 conv w_{k+1} -> 3 (linear; trained range [-1, 1]).
  Fade-in at step N in {2, 3} (§3.1):  (1 - a) * f(G^{N-1}(I)) + a * G^N(I),  f = nearest x2.
Discriminator (mirrored, §3.1): fromRGB 1x1 at every input size; per step a block
  conv3x3 - LeakyReLU(0.2) - conv3x3 - LeakyReLU - AvgPool 2; at 16x16 minibatch stddev
  (one replicated feature map, Karras et al. [19]), conv3x3, LeakyReLU, dense -> 1 score.
  D's fade-in mirrors G's: (1 - a) * fromRGB_{N-1}(avgpool(x)) + a * block_N(fromRGB_N(x)).

Losses: progressive_sr/losses.py (Eq. 4 WGAN-GP is common/wgan.py); Eq. 6 combines them in
progressive_sr/train.py.
Feature network phi (Eq. 3, FixedFeatures below): VGG16 weights cannot be fetched offline, so phi is a FIXED
random 3-layer conv net (seeded He init, never trained): random conv features keep local
edge/texture statistics (He, Wang, Hopcroft, NeurIPS 2016: random shallow nets suffice for
texture synthesis) but are NOT the semantic VGG features of the paper; the card says so.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from train.common import dist

STEP_PX = (32, 64, 128)
LR_PX = 16


class ResBlock(nn.Module):
    """Pre-activation residual block with batch norm (§3.1, He et al. [9])."""

    def __init__(self, w):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(w), nn.Conv2d(w, w, 3, 1, 1)
        self.bn2, self.conv2 = nn.BatchNorm2d(w), nn.Conv2d(w, w, 3, 1, 1)

    def forward(self, x):
        return x + self.conv2(F.relu(self.bn2(self.conv1(F.relu(self.bn1(x))))))


class GStep(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.res = ResBlock(cin)
        self.up = nn.ConvTranspose2d(cin, cout, 4, 2, 1)
        self.bn = nn.BatchNorm2d(cout)
        self.to_rgb = nn.Conv2d(cout, 3, 1)

    def forward(self, h):
        return F.relu(self.bn(self.up(self.res(h))))


class ProgressiveSRG(nn.Module):
    def __init__(self, widths=(64, 32, 16, 8)):
        """widths: stem width at 16 px, then the feature widths at 32, 64 and 128 px."""
        super().__init__()
        if len(widths) != 4:
            raise ValueError('widths = (16 px stem, 32 px, 64 px, 128 px)')
        self.widths = tuple(widths)
        self.stem = nn.Conv2d(3, widths[0], 3, 1, 1)
        self.steps = nn.ModuleList(GStep(widths[k], widths[k + 1]) for k in range(3))

    def forward(self, lr, step=3, alpha=1.0, all_steps=False):
        """lr [N,3,16,16] in [-1,1] -> step output (fade-in blended), or a list of every
        step's raw toRGB output up to `step` plus the blended one when all_steps."""
        h = F.relu(self.stem(lr))
        raw = []
        for k in range(step):
            h = self.steps[k](h)
            raw.append(self.steps[k].to_rgb(h))
        out = fade(raw, step, alpha)
        return (raw, out) if all_steps else out


def fade(raw, step, alpha):
    """§3.1: (1 - alpha) * f(G^{N-1}(I)) + alpha * G^N(I), f = nearest-neighbour x2."""
    if step == 1 or alpha >= 1.0:
        return raw[step - 1]
    prev = F.interpolate(raw[step - 2], scale_factor=2, mode='nearest')
    return (1.0 - alpha) * prev + alpha * raw[step - 1]


def minibatch_stddev(x):
    """Karras et al. §3: mean over features of the batch std, replicated as one extra map. Under
    torchrun the std is the global batch's (train/common/dist.py), as in one process."""
    if dist.active():
        s = torch.sqrt(dist.batch_mean((x - dist.batch_mean(x)).pow(2))).mean().view(1, 1, 1, 1)
    else:
        s = x.std(dim=0, unbiased=False).mean().view(1, 1, 1, 1)
    return torch.cat([x, s.expand(x.shape[0], 1, x.shape[2], x.shape[3])], 1)


class ProgressiveSRD(nn.Module):
    def __init__(self, widths=(16, 32, 64, 64)):
        """widths: features at 128, 64, 32 and 16 px (mirror of G)."""
        super().__init__()
        self.widths = tuple(widths)
        # from_rgb[k] reads a step-(k+1) image (32 * 2^k px)
        self.from_rgb = nn.ModuleList(nn.Conv2d(3, widths[2 - k], 1) for k in range(3))
        # blocks[k] takes step-(k+1) size features down to the size below
        self.blocks = nn.ModuleList(nn.Sequential(
            nn.Conv2d(widths[2 - k], widths[2 - k], 3, 1, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(widths[2 - k], widths[3 - k], 3, 1, 1), nn.LeakyReLU(0.2),
            nn.AvgPool2d(2)) for k in range(3))
        self.final_conv = nn.Conv2d(widths[3] + 1, widths[3], 3, 1, 1)
        self.dense = nn.Linear(widths[3] * LR_PX * LR_PX, 1)

    def forward(self, x, step, alpha=1.0):
        h = self.blocks[step - 1](F.leaky_relu(self.from_rgb[step - 1](x), 0.2))
        if step > 1 and alpha < 1.0:
            skip = F.leaky_relu(self.from_rgb[step - 2](F.avg_pool2d(x, 2)), 0.2)
            h = (1.0 - alpha) * skip + alpha * h
        for k in range(step - 2, -1, -1):
            h = self.blocks[k](h)
        h = F.leaky_relu(self.final_conv(minibatch_stddev(h)), 0.2)
        return self.dense(h.flatten(1))


class FixedFeatures(nn.Module):
    """phi of Eq. 3: seeded random convs (see module doc), frozen; input [-1, 1] images."""

    def __init__(self, seed=3, widths=(16, 32, 32)):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        convs, cin = [], 3
        for w in widths:
            c = nn.Conv2d(cin, w, 3, 1, 1)
            with torch.no_grad():
                c.weight.copy_(torch.randn(c.weight.shape, generator=g) * math.sqrt(2.0 / (cin * 9)))
                c.bias.zero_()
            convs.append(c)
            cin = w
        self.convs = nn.ModuleList(convs)
        self.requires_grad_(False)

    def forward(self, x):
        h = x
        for i, c in enumerate(self.convs):
            h = c(h)
            if i < len(self.convs) - 1:  # phi_i = after the last conv of the block (Eq. 3), no final ReLU
                h = F.avg_pool2d(F.relu(h), 2)
        return h
