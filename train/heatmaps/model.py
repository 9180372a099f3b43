"""Distilled landmark-heatmap student (paper 003 §3.3): a compact network that predicts the
68 landmark heatmaps M of a 64x64 face directly, trained on heatmaps rendered from the
teacher's landmarks (face-api's 68-point net, cached by `npm run cache:landmarks`).

Paper 003 distils FAN with a hint-based method (FitNets): the student also matches a hidden
layer of the teacher. Our teacher is a point regressor whose hidden layers have no spatial
heatmap meaning, so we distil at the output only: the student regresses the teacher's points
rendered as Gaussians (the same rendering as src/lib/heatmaps/render.ts), and is judged by
NME against the teacher (paper 003 Table 1: mean point distance / image size).

Architecture (plain conv + ReLU, no batch norm, so the tfjs twin src/models/heatmaps.ts is a
direct transcription; tfjs layouts on export, NHWC there, NCHW here). The work is done at
32x32 and below (4x cheaper than a 64x64 decoder; what a 1-thread CPU budget affords), and the
heatmaps are brought to 64x64 by a fixed bilinear x2 at the end:
  e1 = relu(conv3x3 s2(x, 3->c1))               @32   stride-2 convs pad 1 on every side (the twin
  e2 = relu(conv3x3(relu(conv3x3 s2(e1))))      @16   passes pad=1: tfjs 'same' would pad 0 top / 1 bottom)
  e3, e4 the same                               @8, @4
  d3 = relu(conv3x3(cat(up(e4), e3)))           @8    up = nearest x2
  d2 = relu(conv3x3(cat(up(d3), e2)))           @16
  d1 = relu(conv3x3(cat(up(d2), e1)))           @32
  M  = bilinear x2(conv1x1(d1, -> 68))          @64, linear (targets are in [0, 1]); bilinear as
                                                       F.interpolate(align_corners=False)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from train.common.landmarks import N_LANDMARKS
SIZE = 64
SIGMA_128 = 3.0  # src/lib/heatmaps/render.ts DEFAULT_SIGMA_128: the teacher's rendering
SIGMA = SIGMA_128 * SIZE / 128  # 1.5 px at 64x64
# The student's targets are twice as wide (3 px at 64x64): at 1.5 px a peak is under one pixel
# of the 32x32 grid the student works on, and a first 14-minute CPU run never localised them
# (NME 0.13 -> 0.23 by step 600). Broad, area-like heatmaps are also what paper 003 §3.3 wanted
# from its distilled network for the attention weights.
STUDENT_SIGMA = 2 * SIGMA

# Index of each landmark's mirror image under a horizontal flip (iBUG 68-point layout).
FLIP = ([*range(16, -1, -1)] + [*range(26, 16, -1)] + [27, 28, 29, 30] + [35, 34, 33, 32, 31] +
        [45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40] + [54, 53, 52, 51, 50, 49, 48, 59, 58, 57, 56, 55] +
        [64, 63, 62, 61, 60, 67, 66, 65])


class HeatmapStudent(nn.Module):
    def __init__(self, widths=(16, 32, 64, 96), dec=(64, 32, 16)):
        super().__init__()
        c1, c2, c3, c4 = widths
        self.widths, self.dec = tuple(widths), tuple(dec)
        self.e1 = nn.Conv2d(3, c1, 3, stride=2, padding=1)
        self.down = nn.ModuleList()
        for cin, cout in ((c1, c2), (c2, c3), (c3, c4)):
            self.down.append(nn.ModuleList([nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.Conv2d(cout, cout, 3, padding=1)]))
        skips = (c3, c2, c1)
        self.up = nn.ModuleList()
        cin = c4
        for skip, cout in zip(skips, dec):
            self.up.append(nn.Conv2d(cin + skip, cout, 3, padding=1))
            cin = cout
        self.head = nn.Conv2d(cin, N_LANDMARKS, 1)

    def forward(self, x):
        """x [N,3,64,64] in [-1,1] -> heatmaps [N,68,64,64]."""
        feats = [F.relu(self.e1(x))]
        h = feats[0]
        for a, b in self.down:
            h = F.relu(b(F.relu(a(h))))
            feats.append(h)
        for conv, skip in zip(self.up, reversed(feats[:-1])):
            h = F.relu(conv(torch.cat([F.interpolate(h, scale_factor=2, mode='nearest'), skip], 1)))
        return F.interpolate(self.head(h), scale_factor=2, mode='bilinear', align_corners=False)


# ---------------------------------------------------------------------------------------
# targets, decoding, NME
def render(points, size=SIZE, sigma=SIGMA):
    """points [N,68,2] (continuous pixels: pixel i spans [i, i+1)) -> Gaussians [N,68,size,size].
    Cut at 4 sigma like render.ts (its cut only zeroes values < e^-8)."""
    p = torch.as_tensor(points, dtype=torch.float32)
    c = torch.arange(size, dtype=torch.float32) + 0.5
    dx2 = (c.view(1, 1, 1, -1) - p[..., 0:1, None]) ** 2  # [N,68,1,W]
    dy2 = (c.view(1, 1, -1, 1) - p[..., 1:2, None]) ** 2  # [N,68,H,1]
    g = torch.exp(-(dx2 + dy2) / (2 * sigma * sigma))
    return torch.where((dx2 <= (4 * sigma) ** 2) & (dy2 <= (4 * sigma) ** 2), g, torch.zeros(()))


def decode(heatmaps):
    """[N,68,S,S] -> points [N,68,2]: argmax + log-parabola sub-pixel offset, as heatmapsToPoints in render.ts."""
    hm = torch.as_tensor(heatmaps, dtype=torch.float64)
    n, k, s, _ = hm.shape
    flat = hm.view(n, k, -1)
    idx = flat.argmax(-1)
    bx, by = idx % s, idx // s
    padded = F.pad(hm, (1, 1, 1, 1))  # zeros outside: offset() then returns 0 at the border, like the TS
    gather = lambda dy, dx: padded.view(n, k, -1).gather(-1, ((by + 1 + dy) * (s + 2) + bx + 1 + dx).unsqueeze(-1)).squeeze(-1)
    c = gather(0, 0)

    def offset(l, r):
        ok = (l > 0) & (c > 0) & (r > 0)
        a, b, d = torch.log(l.clamp_min(1e-300)), torch.log(c.clamp_min(1e-300)), torch.log(r.clamp_min(1e-300))
        den = a - 2 * b + d
        o = ((a - d) / (2 * torch.where(den < 0, den, -torch.ones_like(den)))).clamp(-0.5, 0.5)
        return torch.where(ok & (den < 0), o, torch.zeros_like(o))

    ox = torch.where((bx > 0) & (bx < s - 1), offset(gather(0, -1), gather(0, 1)), torch.zeros_like(c))
    oy = torch.where((by > 0) & (by < s - 1), offset(gather(-1, 0), gather(1, 0)), torch.zeros_like(c))
    return torch.stack([bx + 0.5 + ox, by + 0.5 + oy], -1).float()


def soft_argmax(heatmaps, beta=10.0):
    """Expected (x, y) under softmax(beta * M) over each channel's pixels (integral regression):
    differentiable, so it pulls a peak towards its landmark from the first step, long before the
    argmax of a still-flat heatmap means anything."""
    n, k, s, _ = heatmaps.shape
    p = torch.softmax(beta * heatmaps.reshape(n, k, -1), -1).view(n, k, s, s)
    c = torch.arange(s, dtype=heatmaps.dtype, device=heatmaps.device) + 0.5
    return torch.stack([(p.sum(2) * c).sum(-1), (p.sum(3) * c).sum(-1)], -1)


def nme(pred, target, size):
    """Paper 003 §4.2: (1/N) sum_k ||g_k - p_k||_2 / d with d the image size; mean over faces."""
    return float((torch.as_tensor(pred) - torch.as_tensor(target)).norm(dim=-1).mean() / size)


def flip_batch(x, points, size=SIZE):
    """Mirror images [N,3,H,W] and their landmarks (x -> size - x, indices swapped by FLIP)."""
    p = points[:, FLIP].clone()
    p[..., 0] = size - p[..., 0]
    return x.flip(-1), p
