"""High-to-Low degradation GAN (Bulat, Yang, Tzimiropoulos, ECCV 2018, §3.3, Fig. 4a/5/6;
SR-NAM §3.2): a learned 64x64 -> 16x16 face degrader and its spectrally normalised critic.

Generator (Fig. 4a, residual block Fig. 6b):
  noise z in R^100 --dense--> 4096 --reshape--> one 64x64 channel, concatenated after the RGB
  HR image (channels R,G,B,noise -> 4);  3x3 conv stem 4 -> w1;
  6 groups of 2 pre-activation residual blocks (BN-ReLU-conv3x3-BN-ReLU-conv3x3 + shortcut,
  1x1 conv shortcut where the width changes):
    group 1 @64 -> avgpool -> group 2 @32 -> avgpool -> group 3 @16 -> avgpool -> group 4 @8
    -> avgpool (4 poolings, 64 -> 4) -> group 5 @4 -> pixel shuffle x2 -> group 6 @8
    -> pixel shuffle x2 (2 shuffles, 4 -> 16) -> BN-ReLU-conv3x3 -> 3 -> tanh.
  Pixel shuffle divides the channels by 4 (torch.nn.PixelShuffle order), so group 5 is wide
  and group 6's first block projects w5/4 -> w6.  Output: 16x16x3 in [-1, 1] (tanh).
  Widths are per group (cfg 'g_widths'); kept small because SR-NAM backpropagates through
  this net many times per second in the browser.
  Optional global skip (global_skip=True; NOT in Fig. 4a): the pre-tanh output gets
  `gain * avgpool4(hr)` added (gain a learned scalar, init 1), so the net predicts a residual
  over average pooling. Used by the tiny/cpu configs: a ~20-minute CPU run of the plain net
  still lost the face identity (pixel MSE ~0.09 after 450 updates) because all content has to
  squeeze through the 4x4 bottleneck. The GPU `full` config keeps the paper's net (False).

Discriminator (Fig. 5, residual block Fig. 6a, no batch norm, spectral norm on every conv and
the dense layer): 6 residual blocks; the first is a plain conv-ReLU-conv block with a 1x1
shortcut (no pre-activation on raw pixels, as in SNGAN's first block), the rest are
pre-activation ReLU-conv-ReLU-conv; max-pooling 2x2 at the end of the last `pools` blocks
(2 for 16x16 input: 16 -> 4; Low-to-High uses 4 for 64x64 input: 64 -> 4); ReLU, flatten,
dense -> 1 score.  The same class serves the Low-to-High GAN (train/low2high/model.py).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NOISE_DIM = 100
HR_PX, LR_PX = 64, 16
SN = nn.utils.spectral_norm


class PreActBlock(nn.Module):
    """Fig. 6b: x + conv(relu(bn(conv(relu(bn(x)))))); 1x1 conv shortcut when widths differ."""

    def __init__(self, cin, cout):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, 1, 1)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1)
        self.short = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.relu(self.bn1(x)))
        h = self.conv2(F.relu(self.bn2(h)))
        return h + (self.short(x) if self.short is not None else x)


class DegraderG(nn.Module):
    def __init__(self, widths=(16, 32, 48, 64, 128, 64), noise_dim=NOISE_DIM, blocks_per_group=2, global_skip=False):
        super().__init__()
        if len(widths) != 6:
            raise ValueError('the High-to-Low generator has 6 groups (one width each)')
        if widths[4] % 4 or widths[5] % 4:
            raise ValueError('groups 5 and 6 are followed by a pixel shuffle: widths must divide by 4')
        self.widths, self.noise_dim, self.bpg, self.global_skip = tuple(widths), noise_dim, blocks_per_group, global_skip
        self.skip_gain = nn.Parameter(torch.ones(1)) if global_skip else None
        self.noise_fc = nn.Linear(noise_dim, HR_PX * HR_PX)
        self.stem = nn.Conv2d(4, widths[0], 3, 1, 1)
        groups, cin = [], widths[0]
        for g, w in enumerate(widths):
            blocks = []
            for _ in range(blocks_per_group):
                blocks.append(PreActBlock(cin, w))
                cin = w
            groups.append(nn.Sequential(*blocks))
            if g >= 4:  # pixel shuffle after groups 5 and 6
                cin = w // 4
        self.groups = nn.ModuleList(groups)
        self.bn_out = nn.BatchNorm2d(cin)
        self.conv_out = nn.Conv2d(cin, 3, 3, 1, 1)

    def forward(self, hr, z):
        """hr [N,3,64,64] in [-1,1], z [N,noise_dim] ~ N(0,1) -> [N,3,16,16] in [-1,1]."""
        n = hr.shape[0]
        zmap = self.noise_fc(z).view(n, 1, HR_PX, HR_PX)
        h = self.stem(torch.cat([hr, zmap], 1))
        for g, grp in enumerate(self.groups):
            h = grp(h)
            h = F.avg_pool2d(h, 2) if g < 4 else F.pixel_shuffle(h, 2)
        logits = self.conv_out(F.relu(self.bn_out(h)))
        if self.skip_gain is not None:
            logits = logits + self.skip_gain * F.avg_pool2d(hr, HR_PX // LR_PX)
        return torch.tanh(logits)


class DBlock(nn.Module):
    """Fig. 6a: residual block without batch norm (spectral norm), optional max-pool at the end."""

    def __init__(self, cin, cout, first=False, pool=False):
        super().__init__()
        self.first, self.pool = first, pool
        self.conv1, self.conv2 = SN(nn.Conv2d(cin, cout, 3, 1, 1)), SN(nn.Conv2d(cout, cout, 3, 1, 1))
        self.short = SN(nn.Conv2d(cin, cout, 1)) if (cin != cout or first) else None

    def forward(self, x):
        h = self.conv1(x if self.first else F.relu(x))
        h = self.conv2(F.relu(h))
        h = h + (self.short(x) if self.short is not None else x)
        return F.max_pool2d(h, 2) if self.pool else h


class ResD(nn.Module):
    """6 residual blocks (max-pool in the last `pools`) + ReLU + dense -> one score per image."""

    def __init__(self, in_px=LR_PX, widths=(64, 64, 64, 64, 64, 64), pools=2):
        super().__init__()
        if len(widths) != 6:
            raise ValueError('the discriminator has 6 residual blocks (one width each)')
        self.in_px, self.widths, self.pools = in_px, tuple(widths), pools
        blocks, cin = [], 3
        for i, w in enumerate(widths):
            blocks.append(DBlock(cin, w, first=(i == 0), pool=(i >= 6 - pools)))
            cin = w
        self.blocks = nn.Sequential(*blocks)
        out_px = in_px // 2 ** pools
        self.fc = SN(nn.Linear(cin * out_px * out_px, 1))

    def forward(self, x):
        return self.fc(F.relu(self.blocks(x)).flatten(1))


def avgpool_hr(hr):
    """F in Eq. 4 for High-to-Low: 4x4 average pooling of the HR image to the output size."""
    return F.avg_pool2d(hr, HR_PX // LR_PX)


def hinge_d(d_real, d_fake):
    """Eq. 2 as a loss to minimise (SNGAN hinge): E[relu(1 - D(x))] + E[relu(1 + D(G(.)))]."""
    return F.relu(1.0 - d_real).mean() + F.relu(1.0 + d_fake).mean()


def hinge_g(d_fake):
    """Generator side of the hinge loss (Miyato et al.): -E[D(G(.))]."""
    return -d_fake.mean()
