"""ProGAN generator and discriminator (Karras et al., ICLR 2018; SR-NAM §3.3, Fig. 2 and 5).

Resolution levels 0..4 = 4, 8, 16, 32, 64 px. Every level keeps its toRGB/fromRGB so the
browser visualiser can blend at any boundary. Conventions the tfjs twin
(src/models/progan.ts) relies on: nearest x2 upsampling, 'same' 3x3 convs, pixel norm after
every generator conv (Karras §4.2), leaky ReLU 0.2, equalised learning rate (Karras §4.1:
weights ~ N(0,1), scaled at runtime by gain/sqrt(fan_in); export folds that scale in).
Only torch-1.x APIs are used so this runs on torch 1.13 CPU and on torch 2.x CUDA.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

RESOLUTIONS = (4, 8, 16, 32, 64)
LRELU = 0.2


class EqConv(nn.Module):
    """Conv2d with equalised learning rate (Karras §4.1): w_runtime = w * gain / sqrt(fan_in)."""

    def __init__(self, cin, cout, k, gain=math.sqrt(2)):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.scale = gain / math.sqrt(cin * k * k)
        self.pad = k // 2

    def forward(self, x):
        return F.conv2d(x, self.weight * self.scale, self.bias, padding=self.pad)


class EqLinear(nn.Module):
    def __init__(self, cin, cout, gain=math.sqrt(2), bias_shape=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin))
        self.bias = nn.Parameter(torch.zeros(bias_shape or cout))
        self.scale = gain / math.sqrt(cin)

    def forward(self, x):
        return F.linear(x, self.weight * self.scale)  # bias added by the caller (shape varies)


def pixel_norm(x, eps=1e-8):
    """Karras §4.2, Eq. 'b = a / sqrt(mean_j a_j^2 + eps)' over channels."""
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + eps)


def act(x):
    return F.leaky_relu(x, LRELU)


def up2(x):
    return F.interpolate(x, scale_factor=2, mode='nearest')


def down2(x):
    return F.avg_pool2d(x, 2)


class Generator(nn.Module):
    """z (latent) -> image at any level, with the fade-in of Karras §3 / SR-NAM Fig. 2b:
    out_L = (1-a) * up(toRGB_{L-1}(h_{L-1})) + a * toRGB_L(block_L(h_{L-1}))."""

    def __init__(self, latent=512, widths=(256, 256, 256, 128, 64)):
        super().__init__()
        assert len(widths) == len(RESOLUTIONS)
        self.latent, self.widths = latent, tuple(widths)
        c0 = widths[0]
        # 4x4 "conv-transpose" = dense to 4*4*c0 (gain sqrt(2)/4 as in Karras' code), per-channel bias.
        self.dense = EqLinear(latent, 16 * c0, gain=math.sqrt(2) / 4, bias_shape=c0)
        self.conv0 = EqConv(c0, c0, 3)
        self.blocks = nn.ModuleList()
        for i in range(1, len(widths)):
            self.blocks.append(nn.ModuleList([EqConv(widths[i - 1], widths[i], 3), EqConv(widths[i], widths[i], 3)]))
        self.to_rgb = nn.ModuleList([EqConv(w, 3, 1, gain=1.0) for w in widths])

    def features(self, z, level):
        """Feature maps h_0..h_level (list) for latent z."""
        x = pixel_norm(z)
        h = self.dense(x).view(-1, self.widths[0], 4, 4) + self.dense.bias.view(1, -1, 1, 1)
        h = pixel_norm(act(h))
        h = pixel_norm(act(self.conv0(h)))
        hs = [h]
        for i in range(level):
            c1, c2 = self.blocks[i]
            h = up2(h)
            h = pixel_norm(act(c1(h)))
            h = pixel_norm(act(c2(h)))
            hs.append(h)
        return hs

    def forward(self, z, level=4, alpha=1.0):
        hs = self.features(z, level)
        out = self.to_rgb[level](hs[level])
        if level > 0 and alpha < 1.0:
            out = (1.0 - alpha) * up2(self.to_rgb[level - 1](hs[level - 1])) + alpha * out
        return out


def minibatch_stddev(x, group=4):
    """Karras §3: append the mean over features/pixels of the per-group std as one channel."""
    n, c, h, w = x.shape
    g = min(group, n)
    while n % g:
        g -= 1
    y = x.view(g, -1, c, h, w)
    y = torch.sqrt((y - y.mean(dim=0)).pow(2).mean(dim=0) + 1e-8)  # population std, [n/g, c, h, w]
    y = y.mean(dim=(1, 2, 3)).view(-1, 1, 1, 1).repeat(g, 1, h, w)
    return torch.cat([x, y], dim=1)


class Discriminator(nn.Module):
    """Mirror of the generator; fade-in on the input side:
    h = a * block_L(fromRGB_L(x)) + (1-a) * fromRGB_{L-1}(down(x))."""

    def __init__(self, widths=(256, 256, 256, 128, 64)):
        super().__init__()
        self.widths = tuple(widths)
        self.from_rgb = nn.ModuleList([EqConv(3, w, 1) for w in widths])
        self.blocks = nn.ModuleList()  # blocks[i-1] maps level i -> level i-1
        for i in range(1, len(widths)):
            self.blocks.append(nn.ModuleList([EqConv(widths[i], widths[i], 3), EqConv(widths[i], widths[i - 1], 3)]))
        c0 = widths[0]
        self.conv_final = EqConv(c0 + 1, c0, 3)
        self.fc1 = EqLinear(16 * c0, c0)
        self.fc2 = EqLinear(c0, 1, gain=1.0)

    def _block(self, i, h):
        c1, c2 = self.blocks[i - 1]
        return down2(act(c2(act(c1(h)))))

    def forward(self, x, level=4, alpha=1.0):
        h = act(self.from_rgb[level](x))
        if level > 0:
            h = self._block(level, h)
            if alpha < 1.0:
                h = alpha * h + (1.0 - alpha) * act(self.from_rgb[level - 1](down2(x)))
            for i in range(level - 1, 0, -1):
                h = self._block(i, h)
        h = act(self.conv_final(minibatch_stddev(h)))
        h = act(self.fc1(h.flatten(1)) + self.fc1.bias)
        return self.fc2(h) + self.fc2.bias


def real_at_level(x64, level, alpha):
    """Reals matched to the generator's current output (Karras' process_reals): box-down to
    the level, and during fade-in blend with the previous level upsampled, as G's output is."""
    x = x64
    for _ in range(len(RESOLUTIONS) - 1 - level):
        x = down2(x)
    if level > 0 and alpha < 1.0:
        x = (1.0 - alpha) * up2(down2(x)) + alpha * x
    return x
