"""Low-to-High super-resolution generator (Bulat et al., ECCV 2018, §3.4, Fig. 4b): 16x16 -> 64x64.

  3x3 conv stem 3 -> w1 at 16x16;
  group 1: 12 pre-activation residual blocks (Fig. 6b, batch norm) at 16x16, skip connection
           from the group's input to its output;
  bilinear x2 (align_corners=False), 1x1 conv w1 -> w2;
  group 2: 3 blocks at 32x32 with a group skip;
  bilinear x2, 1x1 conv w2 -> w3;
  group 3: 2 blocks at 64x64 with a group skip;
  BN-ReLU-conv3x3 -> 3 -> tanh: 64x64x3 in [-1, 1].

The paper lists the group sizes "2, 3 and 12" without their resolutions. We put the 12 blocks
at 16x16 and the 2 at 64x64 (as the authors' released code does, as far as we know, and because
12 blocks at 64x64 would cost ~16x more): the heavy lifting happens at low resolution, which
is what makes a browser-speed SR net possible. No noise input (§3.4: diversity comes from the
High-to-Low noise). The discriminator is degrader/model.py's ResD with two more max-pools (pools=4,
64 -> 4), as in Fig. 5.
"""
import torch.nn as nn
import torch.nn.functional as F

from train.degrader.model import PreActBlock

GROUP_BLOCKS = (12, 3, 2)


class Low2HighG(nn.Module):
    def __init__(self, widths=(64, 32, 32), group_blocks=GROUP_BLOCKS):
        super().__init__()
        if len(widths) != 3 or len(group_blocks) != 3:
            raise ValueError('Low-to-High has 3 groups (16, 32, 64 px)')
        self.widths, self.group_blocks = tuple(widths), tuple(group_blocks)
        self.stem = nn.Conv2d(3, widths[0], 3, 1, 1)
        self.groups = nn.ModuleList(nn.Sequential(*[PreActBlock(w, w) for _ in range(n)])
                                    for w, n in zip(widths, group_blocks))
        self.proj = nn.ModuleList([nn.Conv2d(widths[0], widths[1], 1), nn.Conv2d(widths[1], widths[2], 1)])
        self.bn_out = nn.BatchNorm2d(widths[2])
        self.conv_out = nn.Conv2d(widths[2], 3, 3, 1, 1)

    def forward(self, lr):
        """lr [N,3,16,16] in [-1,1] -> [N,3,64,64] in [-1,1]."""
        h = self.stem(lr)
        for g, grp in enumerate(self.groups):
            if g > 0:
                h = self.proj[g - 1](F.interpolate(h, scale_factor=2, mode='bilinear', align_corners=False))
            h = h + grp(h)
        return self.conv_out(F.relu(self.bn_out(h))).tanh()
