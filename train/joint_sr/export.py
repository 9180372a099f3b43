"""Export a joint SR + deblurring run (paper 002) to static/weights/<name>/ for the browser, and the
plain-op PyTorch forwards over the exported arrays that mirror src/models/jointSr.ts (the parity
reference and the evaluation's forward).

  /usr/bin/python3 -m train.joint_sr.export --run train/runs/joint-sr-cpu           # -> static/weights/joint-sr
  /usr/bin/python3 -m train.joint_sr.export --run train/runs/joint-sr-noblur-cpu    # -> static/weights/joint-sr-noblur
  /usr/bin/python3 -m train.joint_sr.export --run train/runs/joint-sr-nolocal-cpu   # -> static/weights/joint-sr-nolocal

Weight names (convs [kh, kw, in, out], 3x3, padding 1 on every side, also for stride 2):
  generator  g/f1..g/f5; g/e1..g/e4; g/u4, g/u3, g/u2, g/u1, g/uo (only with the blurred branch);
             g/l4, g/l3, g/l2, g/l1, g/lf, g/lo  (each as <name>/w, <name>/b)
  D_g        dg/c1..dg/c4 (stride 2), dg/out        D_l  dl/c1..dl/c4, dl/out (where trained)
"""
import argparse
import os

import torch
import torch.nn.functional as F

from train.common.export import check_roundtrip, export_weights, load_run, n_shards, rel_err, write_json
from train.common.layout import conv, put_conv
from train.common.paths import WEIGHTS_DIR
from train.common.run_state import param_count
from train.joint_sr.model import Generator, PatchD

GENERATED_BY = 'train/joint_sr/export.py'
DEFAULT_NAME = {'full': 'joint-sr', 'noblur': 'joint-sr-noblur', 'nolocal': 'joint-sr-nolocal'}
DECODER = {'upper': 'u', 'lower': 'l'}


def fold_g(G):
    out = {}
    for n in ('f1', 'f2', 'f3', 'f4', 'f5', 'e1', 'e2', 'e3', 'e4'):
        put_conv(out, f'g/{n}', getattr(G, n))
    for part, p in DECODER.items():
        if hasattr(G, part):
            for i in (4, 3, 2, 1):
                put_conv(out, f'g/{p}{i}', getattr(getattr(G, part), f'c{i}'))
    if G.blur_branch:
        put_conv(out, 'g/uo', G.uo)
    put_conv(out, 'g/lf', G.lf)
    put_conv(out, 'g/lo', G.lo)
    return out


def fold_d(D, prefix):
    out = {}
    for n in ('c1', 'c2', 'c3', 'c4', 'out'):
        put_conv(out, f'{prefix}/{n}', getattr(D, n))
    return out


def _lrelu(x):
    return F.leaky_relu(x, 0.2)


def _up(x):
    return F.interpolate(x, scale_factor=2, mode='nearest')


def _decoder(W, p, e1, e2, e3, e4):
    a = F.relu(conv(W, _up(e4), f'g/{p}4'))
    a = F.relu(conv(W, _up(torch.cat([a, e3], 1)), f'g/{p}3'))
    a = F.relu(conv(W, _up(torch.cat([a, e2], 1)), f'g/{p}2'))
    return F.relu(conv(W, _up(torch.cat([a, e1], 1)), f'g/{p}1'))


def has_blur_branch(W):
    return 'g/uo/w' in W


@torch.no_grad()
def joint_sr_forward(W, lr):
    """lr [N,3,16,16] in [-1,1] -> {'feature', 'blurred' (None without the branch), 'sharp'} [N,3,128,128]."""
    h = _lrelu(conv(W, torch.as_tensor(lr, dtype=torch.float32), 'g/f1'))
    for n in ('f2', 'f3', 'f4'):
        h = _lrelu(F.pixel_shuffle(conv(W, h, f'g/{n}'), 2))
    feat = torch.tanh(conv(W, h, 'g/f5'))
    e1 = _lrelu(conv(W, feat, 'g/e1', stride=2))
    e2 = _lrelu(conv(W, e1, 'g/e2', stride=2))
    e3 = _lrelu(conv(W, e2, 'g/e3', stride=2))
    e4 = _lrelu(conv(W, e3, 'g/e4', stride=2))
    b1 = _decoder(W, 'l', e1, e2, e3, e4)
    if has_blur_branch(W):
        i_f = _decoder(W, 'u', e1, e2, e3, e4)
        blurred = torch.tanh(conv(W, i_f, 'g/uo'))
        b = F.relu(conv(W, torch.cat([b1, feat, i_f], 1), 'g/lf'))
    else:
        blurred = None
        b = F.relu(conv(W, torch.cat([b1, feat], 1), 'g/lf'))
    return {'feature': feat, 'blurred': blurred, 'sharp': torch.tanh(conv(W, b, 'g/lo'))}


@torch.no_grad()
def score_map(W, prefix, x):
    """D_g (prefix 'dg', x = cat(I_LRf, image), 6 ch) or D_l ('dl', x = M * image) -> [N,1,8,8]."""
    h = torch.as_tensor(x, dtype=torch.float32)
    for n in ('c1', 'c2', 'c3', 'c4'):
        h = _lrelu(conv(W, h, f'{prefix}/{n}', stride=2))
    return conv(W, h, f'{prefix}/out')


def load_models(run_dir):
    ck, run = load_run(run_dir)
    c = ck['cfg']
    if c.get('kind') != 'joint-sr':
        raise SystemExit(f'{run_dir} is not a joint SR run')
    G = Generator(c['width'], c['blur_branch'])
    G.load_state_dict(ck['G'])
    Dg = PatchD(6, c['d_width'])
    Dg.load_state_dict(ck['Dg'])
    Dl = None
    if 'Dl' in ck:
        Dl = PatchD(3, c['d_width'])
        Dl.load_state_dict(ck['Dl'])
        Dl.eval()
    return c, G.eval(), Dg.eval(), Dl, run


def model_config(c, G, Dg, Dl):
    return {'architecture': 'joint-sr', 'paper': 'Yun & Park, joint face SR and deblurring, §3.2 Fig. 2, §3.3',
            'variant': c['variant'], 'width': G.width, 'blurBranch': G.blur_branch, 'localD': Dl is not None,
            'dWidth': Dg.width, 'lambda1': c['lambda1'], 'lambda2': c['lambda2'],
            'perceptual': {'layers': list(c['perceptual']['layers']), 'scale': c['perceptual']['scale'],
                           'net': 'face-api face recognition (src/lib/eval/faceNet.ts), on the 128 px output as is',
                           'distance': 'mean |f(sharp) - f(HR)| per layer, times scale, summed over layers'},
            'blur': {'lengthMax': c['blur']['lengthMax'], 'angle': list(c['blur']['angle']),
                     'kernel': 'motionBlurKernel(length, angleDeg), src/lib/image/kernels.ts'},
            'scale': 8, 'localDFrom': c['local_d_from'],
            'input': 'lr NHWC [N,16,16,3] in [-1,1] (bicubic x1/8 of the blurred HR)',
            'outputs': {'feature': 'I_LRf [N,128,128,3] tanh', 'blurred': 'I_HRB [N,128,128,3] tanh (blurred branch only)',
                        'sharp': 'I_HR [N,128,128,3] tanh'},
            'convs': '3x3, padding 1 on every side (stride-2 convs: pad explicitly, then valid)',
            'activations': 'lrelu = LeakyReLU 0.2 (f1..f4, encoder, discriminators); relu in the decoders; '
                           'pixel shuffle x2 in PyTorch channel order after f2..f4; up = nearest x2',
            'discriminators': {'output': 'score map [N,8,8,1]; D(x) = its mean (LSGAN, no sigmoid)',
                               'global': 'dg: cat(I_LRf, image), 6 channels', 'local': 'dl: mask * image, 3 channels'}}


def export(run_dir, out_dir=None, note=None, test_faces=None, fid_seeds=None, data_dir=None):
    from train.joint_sr.card import card  # card.py imports the evaluation, which imports this module
    c, G, Dg, Dl, run = load_models(run_dir)
    out_dir = out_dir or os.path.join(WEIGHTS_DIR, DEFAULT_NAME[c['variant']])
    name = os.path.basename(os.path.normpath(out_dir))
    arrays = fold_g(G)
    arrays.update(fold_d(Dg, 'dg'))
    if Dl is not None:
        arrays.update(fold_d(Dl, 'dl'))
    config = model_config(c, G, Dg, Dl)
    model, nbytes, W = export_weights(arrays, out_dir, config, name, GENERATED_BY)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(4, 3, 16, 16, generator=g) * 2 - 1
    with torch.no_grad():
        got, ref = joint_sr_forward(W, x), G(x)
        err = check_roundtrip(max(rel_err(got[k], ref[k]) for k in ('feature', 'sharp')
                                  + (('blurred',) if G.blur_branch else ())))
        check_roundtrip(rel_err(score_map(W, 'dg', torch.cat([ref['feature'], ref['sharp']], 1)),
                                Dg.score_map(torch.cat([ref['feature'], ref['sharp']], 1))), 'global discriminator')
        if Dl is not None:
            check_roundtrip(rel_err(score_map(W, 'dl', ref['sharp']), Dl.score_map(ref['sharp'])), 'local discriminator')
    write_json(os.path.join(out_dir, 'card.json'),
               card(c, run, G, Dg, Dl, config, nbytes, n_shards(model), name, W, note, test_faces, fid_seeds, data_dir))
    print(f'exported {name} ({param_count(G):,} G params, {nbytes / 1e6:.2f} MB float16) to {out_dir}; '
          f'float16 round-trip rel err {err:.2e}')
    return W


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True)
    ap.add_argument('--out', default=None)
    ap.add_argument('--note', default=None)
    ap.add_argument('--test-faces', type=int, default=None, help='evaluate on fewer test faces (default 500)')
    ap.add_argument('--fid-seeds', default=None, help="FID-proxy subset seeds, e.g. 0,1,2 (default 0..9); '' for none")
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    seeds = None if a.fid_seeds is None else tuple(int(s) for s in a.fid_seeds.split(',') if s != '')
    export(a.run, a.out, a.note, a.test_faces, seeds, a.data_dir)


if __name__ == '__main__':
    main()
