"""Export a trained High-to-Low degrader to static/weights/degrader/ for the browser, and the
plain-op PyTorch forward over the exported arrays that mirrors src/models/degrader.ts (the
parity reference; also the frozen degrader the Low-to-High training draws its LR inputs from).

  /usr/bin/python3 -m train.degrader.export --run train/runs/degrader-cpu [--out static/weights/degrader]

Weight names (train/common/layout.py layouts):
  d/noise/{w [100,4096], b [4096]}   dense; 4096 = one 64x64 channel, row-major (h*64+w)
  d/stem/{w,b}                        3x3 conv, 4 input channels (R,G,B,noise)
  d/g{1..6}/b{1..k}/{bn1,bn2}/{scale,shift}, .../{conv1,conv2}/{w,b}, .../short/{w,b} (1x1, optional)
  d/out/bn/{scale,shift}, d/out/conv/{w,b}
  d/skip/gain [1]                     only with the global skip (degrader/model.py)
The card, the run loading and the shared export flow are train/degradation/export.py.
"""
import torch
import torch.nn.functional as F

from train.common.layout import bn, conv, n_blocks, preact_block, put_block, put_bn, put_conv, tensor
from train.degradation.export import export_cli, export_gan
from train.degrader.model import NOISE_DIM


def fold(G):
    out = {'d/noise/w': G.noise_fc.weight.detach().float().t().contiguous().cpu().numpy(),
           'd/noise/b': G.noise_fc.bias.detach().float().cpu().numpy()}
    put_conv(out, 'd/stem', G.stem)
    for g, grp in enumerate(G.groups, 1):
        for b, blk in enumerate(grp, 1):
            put_block(out, f'd/g{g}/b{b}', blk)
    put_bn(out, 'd/out/bn', G.bn_out)
    put_conv(out, 'd/out/conv', G.conv_out)
    if G.skip_gain is not None:
        out['d/skip/gain'] = G.skip_gain.detach().float().cpu().numpy()
    return out


def pixel_shuffle_nhwc_reference(x, r=2):
    """What the TS twin does (reshape + transpose) written for NCHW torch: equals F.pixel_shuffle."""
    n, c, h, w = x.shape
    return x.view(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c // (r * r), h * r, w * r)


@torch.no_grad()
def degrader_forward(W, hr, z):
    """hr [N,3,64,64] in [-1,1], z [N,100] -> [N,3,16,16] in [-1,1] (batch norm in inference mode)."""
    hr = torch.as_tensor(hr, dtype=torch.float32)
    z = torch.as_tensor(z, dtype=torch.float32)
    zmap = (z @ tensor(W['d/noise/w']) + tensor(W['d/noise/b'])).view(-1, 1, 64, 64)
    h = conv(W, torch.cat([hr, zmap], 1), 'd/stem')
    for g in range(1, 7):
        for b in range(1, n_blocks(W, f'd/g{g}') + 1):
            h = preact_block(W, h, f'd/g{g}/b{b}')
        h = F.avg_pool2d(h, 2) if g <= 4 else pixel_shuffle_nhwc_reference(h, 2)
    logits = conv(W, F.relu(bn(W, h, 'd/out/bn')), 'd/out/conv')
    if 'd/skip/gain' in W:
        logits = logits + tensor(W['d/skip/gain']) * F.avg_pool2d(hr, 4)
    return torch.tanh(logits)


def model_config(G):
    return {'architecture': 'high-to-low-generator', 'paper': 'Bulat et al. 2018 §3.3 Fig. 4a; SR-NAM §3.2',
            'noiseDim': G.noise_dim, 'groupWidths': list(G.widths), 'blocksPerGroup': G.bpg,
            'input': 'hr NHWC [N,64,64,3] in [-1,1] and noise [N,100] ~ N(0,1)',
            'output': 'NHWC [N,16,16,3], tanh, in [-1,1]',
            'noiseMap': 'dense 100 -> 4096 reshaped to one 64x64 channel, concatenated after RGB (4 channels)',
            'groups': 'g1@64 avgpool g2@32 avgpool g3@16 avgpool g4@8 avgpool g5@4 pixelshuffle g6@8 pixelshuffle -> 16',
            'block': 'pre-activation: x*scale+shift, relu, conv3x3, x*scale+shift, relu, conv3x3, + (1x1 conv shortcut if widths differ)',
            'pixelShuffle': 'torch.nn.PixelShuffle(2) channel order: out[c, 2h+i, 2w+j] = in[4c+2i+j, h, w]',
            'batchNorm': 'inference mode, folded from running stats into scale/shift', 'bnEpsilon': 1e-5,
            'globalSkip': bool(G.global_skip),
            'globalSkipRule': 'if d/skip/gain exists: tanh(conv_out(...) + gain * avgpool4(hr)) (not in Fig. 4a)'}


def test_inputs(g):
    """Inputs of the float16 round-trip check."""
    return torch.rand(4, 3, 64, 64, generator=g) * 2 - 1, torch.randn(4, NOISE_DIM, generator=g)


def export(run_dir, out_dir, note=None, name=None):
    return export_gan('degrader', run_dir, out_dir, fold, degrader_forward, model_config, test_inputs, note, name)


if __name__ == '__main__':
    export_cli(__doc__, 'degrader', export)
