"""Export a trained SRResNet (MSE or content loss) or SRGAN to static/weights/<name>/ for the browser,
and the plain-op PyTorch forwards over the exported arrays that mirror src/models/srresnet.ts (the
parity reference).

  /usr/bin/python3 -m train.srgan.export --run train/runs/srresnet-mse-cpu       # -> static/weights/srresnet-mse
  /usr/bin/python3 -m train.srgan.export --run train/runs/srresnet-content-cpu   # -> static/weights/srresnet-content
  /usr/bin/python3 -m train.srgan.export --run train/runs/srgan-cpu              # -> static/weights/srgan (G and D)

Weight names (batch norm folded into the conv before it: w * scale, b * scale + shift; PReLU slopes
per channel; convs [kh, kw, in, out]):
  generator      g/head/{w,b}, g/head/alpha; g/b{i}/conv1/{w,b}, g/b{i}/alpha, g/b{i}/conv2/{w,b};
                 g/body/{w,b}; g/up{1,2}/{w,b} (4w channels in PyTorch's pixel-shuffle order),
                 g/up{1,2}/alpha; g/tail/{w,b}
  discriminator  d/first/{w,b}; d/c{1..7}/{w,b} (strides 2,1,2,1,2,1,2, padding 1); d/dense{1,2}/{w,b}
                 (1x1 convs) — SRGAN only.
"""
import argparse
import os

import torch
import torch.nn.functional as F

from train.common.export import (check_roundtrip, export_weights, load_run, n_shards, rel_err, write_json)
from train.common.layout import conv, conv_arrays, tensor
from train.common.paths import WEIGHTS_DIR
from train.common.run_state import param_count
from train.srgan.model import D_STRIDES, Discriminator, SRResNet

GENERATED_BY = 'train/srgan/export.py'
DEFAULT_NAME = {'mse': 'srresnet-mse', 'content': 'srresnet-content', 'gan': 'srgan'}


def fold_conv_bn(m, bn):
    """conv followed by inference-mode batch norm -> one conv's (w [kh,kw,in,out], b)."""
    w, b = conv_arrays(m)
    scale = (bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps))
    shift = bn.bias.detach().double() - bn.running_mean.double() * scale
    s = scale.numpy()
    return (w * s).astype('float32'), (b * s + shift.numpy()).astype('float32')


def alpha(p):
    return p.weight.detach().float().cpu().numpy()


def fold_g(G):
    out = {}
    out['g/head/w'], out['g/head/b'] = conv_arrays(G.head)
    out['g/head/alpha'] = alpha(G.head_act)
    for i, blk in enumerate(G.blocks, 1):
        out[f'g/b{i}/conv1/w'], out[f'g/b{i}/conv1/b'] = fold_conv_bn(blk.conv1, blk.bn1)
        out[f'g/b{i}/alpha'] = alpha(blk.act)
        out[f'g/b{i}/conv2/w'], out[f'g/b{i}/conv2/b'] = fold_conv_bn(blk.conv2, blk.bn2)
    out['g/body/w'], out['g/body/b'] = fold_conv_bn(G.body, G.body_bn)
    for i, u in enumerate(G.up, 1):
        out[f'g/up{i}/w'], out[f'g/up{i}/b'] = conv_arrays(u.conv)
        out[f'g/up{i}/alpha'] = alpha(u.act)
    out['g/tail/w'], out['g/tail/b'] = conv_arrays(G.tail)
    return out


def fold_d(D):
    out = {}
    out['d/first/w'], out['d/first/b'] = conv_arrays(D.first)
    for i, l in enumerate(D.layers, 1):
        out[f'd/c{i}/w'], out[f'd/c{i}/b'] = fold_conv_bn(l['conv'], l['bn'])
    out['d/dense1/w'], out['d/dense1/b'] = conv_arrays(D.dense1)
    out['d/dense2/w'], out['d/dense2/b'] = conv_arrays(D.dense2)
    return out


def prelu(W, x, name):
    return F.prelu(x, tensor(W[name]))


def count_blocks(W):
    n = 0
    while f'g/b{n + 1}/conv1/w' in W:
        n += 1
    return n


@torch.no_grad()
def srresnet_forward(W, lr):
    """lr [N,3,h,w] in [-1,1] -> [N,3,4h,4w] in [-1,1], from exported arrays."""
    h = prelu(W, conv(W, torch.as_tensor(lr, dtype=torch.float32), 'g/head'), 'g/head/alpha')
    t = h
    for i in range(1, count_blocks(W) + 1):
        r = conv(W, prelu(W, conv(W, t, f'g/b{i}/conv1'), f'g/b{i}/alpha'), f'g/b{i}/conv2')
        t = t + r
    h = h + conv(W, t, 'g/body')
    for i in (1, 2):
        h = prelu(W, F.pixel_shuffle(conv(W, h, f'g/up{i}'), 2), f'g/up{i}/alpha')
    return torch.tanh(conv(W, h, 'g/tail'))


@torch.no_grad()
def discriminator_logit_map(W, x):
    """x [N,3,64,64] in [-1,1] -> logits [N,1,4,4] from exported arrays (mean = the image's logit)."""
    h = F.leaky_relu(conv(W, torch.as_tensor(x, dtype=torch.float32), 'd/first'), 0.2)
    for i, s in enumerate(D_STRIDES, 1):
        h = F.leaky_relu(conv(W, h, f'd/c{i}', stride=s), 0.2)
    return conv(W, F.leaky_relu(conv(W, h, 'd/dense1'), 0.2), 'd/dense2')


def load_models(run_dir):
    ck, run = load_run(run_dir)
    c = ck['cfg']
    if c.get('kind') != 'srgan':
        raise SystemExit(f'{run_dir} is not an SRResNet/SRGAN run')
    G = SRResNet(c['width'], c['blocks'])
    G.load_state_dict(ck['G'])
    D = None
    if 'D' in ck:
        D = Discriminator(c['d_width'], c['d_dense'])
        D.load_state_dict(ck['D'])
        D.eval()
    return c, G.eval(), D, run


def model_config(c, G, D):
    cfg = {'architecture': 'srresnet', 'paper': 'Ledig et al. 2017 §2.1 Fig. 4', 'loss': c['loss'],
           'width': G.width, 'blocks': G.n_blocks, 'scale': 4,
           'input': 'lr NHWC [N,16,16,3] in [-1,1] (any size works: fully convolutional)',
           'output': 'NHWC [N,64,64,3], tanh, in [-1,1]',
           'block': 'conv3x3 (BN folded), PReLU, conv3x3 (BN folded), + x',
           'upsample': 'conv3x3 w->4w, pixel shuffle x2 (PyTorch channel order c*4 + i*2 + j), PReLU; twice',
           'batchNorm': 'inference mode, folded into the preceding conv'}
    if D is not None:
        cfg['discriminator'] = {'width': D.width, 'dense': D.dense, 'strides': list(D_STRIDES),
                                'padding': 'explicit 1 on every side (also for stride 2), then valid',
                                'output': 'logit map [N,4,4,1] for a 64x64 input; its mean is the image logit',
                                'activation': 'LeakyReLU 0.2'}
    return cfg


def export(run_dir, out_dir=None, note=None, metrics=None):
    from train.srgan.card import card  # card.py imports the evaluation, which imports this module
    c, G, D, run = load_models(run_dir)
    out_dir = out_dir or os.path.join(WEIGHTS_DIR, DEFAULT_NAME[c['loss']])
    name = os.path.basename(os.path.normpath(out_dir))
    arrays = fold_g(G)
    if D is not None:
        arrays.update(fold_d(D))
    config = model_config(c, G, D)
    model, nbytes, W = export_weights(arrays, out_dir, config, name, GENERATED_BY)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(4, 3, 16, 16, generator=g) * 2 - 1
    with torch.no_grad():
        err = check_roundtrip(rel_err(srresnet_forward(W, x), G(x)))
        if D is not None:
            y = G(x)
            check_roundtrip(rel_err(discriminator_logit_map(W, y), D.logit_map(y)), 'discriminator')
    write_json(os.path.join(out_dir, 'card.json'), card(c, run, G, D, config, nbytes, n_shards(model), name, note, metrics))
    print(f'exported {name} ({param_count(G):,} G params, {nbytes / 1e6:.2f} MB float16) to {out_dir}; '
          f'float16 round-trip rel err {err:.2e}')
    return W


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True)
    ap.add_argument('--out', default=None)
    ap.add_argument('--note', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    export(a.run, a.out, a.note)


if __name__ == '__main__':
    main()
