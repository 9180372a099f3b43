"""Generator and discriminators of joint face SR + deblurring (Yun & Park, paper 002, §3.2 Fig. 2, §3.3),
for x8 faces 16x16 -> 128x128; layer names are the exported weight names (the joint spec).

Generator, base width w; convs 3x3 padding 1; lrelu = LeakyReLU 0.2; up = nearest x2; cat in the order written:
  f1..f5   the five-layer CNN x8: f1 3->w lrelu; f2..f4 w->4w, pixel shuffle x2, lrelu; f5 w->3, tanh -> I_LRf
  e1..e4   shared encoder on I_LRf, stride 2, lrelu: 3->w (64), w->2w (32), 2w->4w (16), 4w->8w (8)
  u4..u1   upper decoder (HR with blur), skips from e3, e2, e1; I_f = relu(u1(...)) @128; uo -> tanh -> I_HRB
  l4..l1   lower decoder (HR without blur), same layout; lf on cat(b1, I_LRf, I_f) (no I_f without the
  lf, lo   blurred branch); lo -> tanh -> I_HR
PatchD (D_g with 6 input channels: cat(I_LRf, image); D_l with 3: M * image): c1..c4 stride 2 lrelu,
out conv stride 1 -> an 8x8 score map (LSGAN: no sigmoid; D(x) is the map's mean).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride, 1)


def lrelu(x):
    return F.leaky_relu(x, 0.2)


def up(x):
    return F.interpolate(x, scale_factor=2, mode='nearest')


class Decoder(nn.Module):
    """a4 = relu(c4(up(e4))); a3 = relu(c3(up(cat(a4, e3)))); a2 = ...(e2); a1 = relu(c1(up(cat(a2, e1))))."""

    def __init__(self, w):
        super().__init__()
        self.c4, self.c3 = conv3(8 * w, 4 * w), conv3(8 * w, 2 * w)
        self.c2, self.c1 = conv3(4 * w, w), conv3(2 * w, w)

    def forward(self, e1, e2, e3, e4):
        a = F.relu(self.c4(up(e4)))
        a = F.relu(self.c3(up(torch.cat([a, e3], 1))))
        a = F.relu(self.c2(up(torch.cat([a, e2], 1))))
        return F.relu(self.c1(up(torch.cat([a, e1], 1))))


class Generator(nn.Module):
    def __init__(self, width=16, blur_branch=True):
        super().__init__()
        w = self.width = width
        self.blur_branch = blur_branch
        self.f1 = conv3(3, w)
        self.f2, self.f3, self.f4 = conv3(w, 4 * w), conv3(w, 4 * w), conv3(w, 4 * w)
        self.f5 = conv3(w, 3)
        self.e1, self.e2 = conv3(3, w, 2), conv3(w, 2 * w, 2)
        self.e3, self.e4 = conv3(2 * w, 4 * w, 2), conv3(4 * w, 8 * w, 2)
        if blur_branch:
            self.upper = Decoder(w)
            self.uo = conv3(w, 3)
        self.lower = Decoder(w)
        self.lf = conv3(2 * w + 3 if blur_branch else w + 3, w)
        self.lo = conv3(w, 3)

    def feature_image(self, lr):
        h = lrelu(self.f1(lr))
        for f in (self.f2, self.f3, self.f4):
            h = lrelu(F.pixel_shuffle(f(h), 2))
        return torch.tanh(self.f5(h))

    def forward(self, lr):
        """lr [N,3,16,16] in [-1,1] -> {'feature': I_LRf, 'blurred': I_HRB or None, 'sharp': I_HR}, [N,3,128,128]."""
        feat = self.feature_image(lr)
        e1 = lrelu(self.e1(feat))
        e2 = lrelu(self.e2(e1))
        e3 = lrelu(self.e3(e2))
        e4 = lrelu(self.e4(e3))
        skips = (e1, e2, e3, e4)
        b1 = self.lower(*skips)
        if self.blur_branch:
            i_f = self.upper(*skips)
            blurred = torch.tanh(self.uo(i_f))
            b = F.relu(self.lf(torch.cat([b1, feat, i_f], 1)))
        else:
            blurred = None
            b = F.relu(self.lf(torch.cat([b1, feat], 1)))
        return {'feature': feat, 'blurred': blurred, 'sharp': torch.tanh(self.lo(b))}


class PatchD(nn.Module):
    def __init__(self, in_ch, width=16):
        super().__init__()
        self.in_ch, self.width = in_ch, width
        w = width
        self.c1, self.c2 = conv3(in_ch, w, 2), conv3(w, 2 * w, 2)
        self.c3, self.c4 = conv3(2 * w, 4 * w, 2), conv3(4 * w, 8 * w, 2)
        self.out = conv3(8 * w, 1)

    def score_map(self, x):
        """x [N,in_ch,128,128] -> [N,1,8,8]."""
        h = x
        for c in (self.c1, self.c2, self.c3, self.c4):
            h = lrelu(c(h))
        return self.out(h)

    def forward(self, x):
        """-> [N]: D(x), the mean of the score map."""
        return self.score_map(x).mean(dim=(1, 2, 3))


def d_global_input(feature, image):
    """D_g's input: the (detached) feature image I_LRf as the condition, then the image (Eq. 1)."""
    return torch.cat([feature.detach(), image], 1)


def lsgan_d(real, fake):
    """Eq. 1 / 2 (LSGAN): (D(real) - 1)^2 + D(fake)^2, means over the batch."""
    return (real - 1).pow(2).mean() + fake.pow(2).mean()


def lsgan_g(fake):
    """The generator's side: (D(fake) - 1)^2, mean over the batch."""
    return (fake - 1).pow(2).mean()
