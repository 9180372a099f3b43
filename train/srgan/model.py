"""SRResNet generator and SRGAN discriminator (Ledig et al. CVPR 2017, paper 004, §2.1, Fig. 4),
for 4x face super-resolution 16x16 -> 64x64.

Generator (Fig. 4, top): 9x9 conv 3 -> w, PReLU; B residual blocks (conv3x3-BN-PReLU-conv3x3-BN,
+ x); conv3x3-BN with a skip from after the head; two sub-pixel upsampling stages (conv3x3
w -> 4w, pixel shuffle x2, PReLU; Shi et al.); 9x9 conv w -> 3. The paper's output is linear on
images in [-1, 1]; we add tanh so the output range is the same as every other srlab generator.

Discriminator (Fig. 4, bottom): conv3x3 w, LeakyReLU(0.2); seven conv3x3-BN-LeakyReLU with
strides 2,1,2,1,2,1,2 and widths w, 2w, 2w, 4w, 4w, 8w, 8w; then the paper's two dense layers
(1024, LeakyReLU; 1) — here applied at every location as 1x1 convolutions, so D gives a map of
logits (4x4 for a 64x64 face) whose mean is the image's logit. That map is what the notebook
shows as "where D thinks the face is fake"; a deviation from the paper's single dense output.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlock(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(w, w, 3, 1, 1), nn.BatchNorm2d(w)
        self.act = nn.PReLU(w)
        self.conv2, self.bn2 = nn.Conv2d(w, w, 3, 1, 1), nn.BatchNorm2d(w)

    def forward(self, x):
        return x + self.bn2(self.conv2(self.act(self.bn1(self.conv1(x)))))


class Upsample(nn.Module):
    """Sub-pixel convolution x2 (Shi et al. 2016): conv w -> 4w, pixel shuffle, PReLU."""

    def __init__(self, w):
        super().__init__()
        self.conv = nn.Conv2d(w, 4 * w, 3, 1, 1)
        self.act = nn.PReLU(w)

    def forward(self, x):
        return self.act(F.pixel_shuffle(self.conv(x), 2))


class SRResNet(nn.Module):
    def __init__(self, width=64, blocks=16):
        super().__init__()
        self.width, self.n_blocks = width, blocks
        self.head = nn.Conv2d(3, width, 9, 1, 4)
        self.head_act = nn.PReLU(width)
        self.blocks = nn.Sequential(*[ResBlock(width) for _ in range(blocks)])
        self.body, self.body_bn = nn.Conv2d(width, width, 3, 1, 1), nn.BatchNorm2d(width)
        self.up = nn.ModuleList([Upsample(width), Upsample(width)])
        self.tail = nn.Conv2d(width, 3, 9, 1, 4)

    def forward(self, lr):
        """lr [N,3,h,w] in [-1,1] -> [N,3,4h,4w] in [-1,1]."""
        h = self.head_act(self.head(lr))
        h = h + self.body_bn(self.body(self.blocks(h)))
        for u in self.up:
            h = u(h)
        return torch.tanh(self.tail(h))


D_STRIDES = (2, 1, 2, 1, 2, 1, 2)
D_MULTS = (1, 2, 2, 4, 4, 8, 8)


class Discriminator(nn.Module):
    def __init__(self, width=64, dense=1024):
        super().__init__()
        self.width, self.dense = width, dense
        self.first = nn.Conv2d(3, width, 3, 1, 1)
        layers, c = [], width
        for s, m in zip(D_STRIDES, D_MULTS):
            layers.append(nn.ModuleDict({'conv': nn.Conv2d(c, width * m, 3, s, 1), 'bn': nn.BatchNorm2d(width * m)}))
            c = width * m
        self.layers = nn.ModuleList(layers)
        self.dense1 = nn.Conv2d(c, dense, 1)
        self.dense2 = nn.Conv2d(dense, 1, 1)

    def logit_map(self, x):
        """x [N,3,64,64] in [-1,1] -> logits [N,1,4,4] (one per 16x16-stride location)."""
        h = F.leaky_relu(self.first(x), 0.2)
        for l in self.layers:
            h = F.leaky_relu(l['bn'](l['conv'](h)), 0.2)
        return self.dense2(F.leaky_relu(self.dense1(h), 0.2))

    def forward(self, x):
        """-> [N] logits of 'this is a real HR face' (sigmoid gives D's probability, Eq. 2)."""
        return self.logit_map(x).mean(dim=(1, 2, 3))


def d_loss(real_logits, fake_logits):
    """Eq. 2 as D maximises it: -log D(I_HR) - log(1 - D(G(I_LR))), mean over the batch."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_adv_loss(fake_logits):
    """Eq. 6: -log D(G(I_LR)) (mean over the batch instead of the sum: a constant factor)."""
    return F.softplus(-fake_logits).mean()
