"""Export a trained Low-to-High SR generator (or its bicubic twin) to static/weights/<name>/ for
the browser, and the plain-op PyTorch forward over the exported arrays that mirrors
src/models/low2high.ts (the parity reference).

  /usr/bin/python3 -m train.low2high.export --run train/runs/low2high-cpu            # -> static/weights/low2high
  /usr/bin/python3 -m train.low2high.export --run train/runs/low2high-bicubic-cpu --out static/weights/low2high-bicubic

Weight names (train/common/layout.py layouts): s/stem/{w,b}; s/g{1..3}/b{1..k}/{bn1,bn2}/{scale,shift},
.../{conv1,conv2}/{w,b}; s/proj{1,2}/{w,b} (1x1 after each bilinear x2); s/out/bn/{scale,shift},
s/out/conv/{w,b}. The card, the run loading and the shared export flow are train/degradation/export.py.
"""
import torch
import torch.nn.functional as F

from train.common.layout import bn, conv, n_blocks, preact_block, put_block, put_bn, put_conv
from train.degradation.export import export_cli, export_gan


def fold(G):
    out = {}
    put_conv(out, 's/stem', G.stem)
    for g, grp in enumerate(G.groups, 1):
        for b, blk in enumerate(grp, 1):
            put_block(out, f's/g{g}/b{b}', blk)
    for i, p in enumerate(G.proj, 1):
        put_conv(out, f's/proj{i}', p)
    put_bn(out, 's/out/bn', G.bn_out)
    put_conv(out, 's/out/conv', G.conv_out)
    return out


@torch.no_grad()
def low2high_forward(W, lr):
    """lr [N,3,16,16] in [-1,1] -> [N,3,64,64] in [-1,1]."""
    h = conv(W, torch.as_tensor(lr, dtype=torch.float32), 's/stem')
    for g in range(1, 4):
        if g > 1:
            h = conv(W, F.interpolate(h, scale_factor=2, mode='bilinear', align_corners=False), f's/proj{g - 1}')
        t = h
        for b in range(1, n_blocks(W, f's/g{g}') + 1):
            t = preact_block(W, t, f's/g{g}/b{b}')
        h = h + t
    return torch.tanh(conv(W, F.relu(bn(W, h, 's/out/bn')), 's/out/conv'))


def model_config(G):
    return {'architecture': 'low-to-high-generator', 'paper': 'Bulat et al. 2018 §3.4 Fig. 4b',
            'groupWidths': list(G.widths), 'groupBlocks': list(G.group_blocks), 'groupResolutions': [16, 32, 64],
            'input': 'lr NHWC [N,16,16,3] in [-1,1]', 'output': 'NHWC [N,64,64,3], tanh, in [-1,1]',
            'upsample': 'bilinear x2 (align_corners=False / half-pixel centres, edge-clamped) then 1x1 conv, twice',
            'groupSkip': 'h = h + blocks(h) for every group',
            'block': 'pre-activation: x*scale+shift, relu, conv3x3, x*scale+shift, relu, conv3x3, + x',
            'batchNorm': 'inference mode, folded from running stats into scale/shift', 'bnEpsilon': 1e-5}


def test_inputs(g):
    """Input of the float16 round-trip check."""
    return (torch.rand(4, 3, 16, 16, generator=g) * 2 - 1,)


def export(run_dir, out_dir, note=None, name=None):
    return export_gan('low2high', run_dir, out_dir, fold, low2high_forward, model_config, test_inputs, note, name)


if __name__ == '__main__':
    export_cli(__doc__, 'low2high', export)
