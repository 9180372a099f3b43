"""Export a progressive-SR run (paper 003) to static/weights/<name>/ and write its parity fixture.

  /usr/bin/python3 -m train.progressive_sr.export --run train/runs/progressive-sr-cpu \
      --metrics train/runs/progressive-sr-metrics.json                  # -> static/weights/progressive-sr
  /usr/bin/python3 -m train.progressive_sr.export --run train/runs/progressive-sr-noatt-cpu \
      --metrics train/runs/progressive-sr-metrics.json --out static/weights/progressive-sr-noatt

model.json + float16 shards (<= 4 MB, bytes + sha256 "integrity") by train/common/export.py;
folds and plain-op helpers from train/common/layout.py. All three step heads (toRGB at 32, 64, 128 px) are exported, so the
browser can show every step and blend any transition. Weight names (tfjs layouts: conv
[kh,kw,in,out]; transposed conv [kh,kw,out,in] as tf.conv2dTranspose wants; batch norm folded
from running statistics into x*scale + shift):
  p/stem/{w,b}                         3x3, 3 -> w0, ReLU
  p/s{k}/res/{bn1,bn2}/{scale,shift}   k = 1, 2, 3: pre-activation residual block at the input size
  p/s{k}/res/{conv1,conv2}/{w,b}
  p/s{k}/up/{w,b}                      ConvTranspose 4x4 stride 2 pad 1 ('same' in tfjs)
  p/s{k}/bn/{scale,shift}              then ReLU
  p/s{k}/rgb/{w,b}                     1x1 toRGB head of step k
Fixture (test/fixtures/<name>-parity.json): the EXPORTED (float16-rounded) weights through the
plain-op forward below, on two 16x16 uint8 faces (faces128 TEST 0 and 1, bilinear 128 -> 16).
"""
import argparse
import base64
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.common.data import load_faces128
from train.common.export import (check_roundtrip, export_weights, load_run, n_shards, r6, rel_err, utc_now,
                                 weights_field, write_json)
from train.common.images import bilinear_down, to_float, to_u8
from train.common.layout import bn, conv, preact_block, put_block, put_bn, put_conv, tensor
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.common.run_state import param_count
from train.progressive_sr.model import STEP_PX, ProgressiveSRG

GENERATED_BY = 'train/export_progressive_sr.py'  # the name the shipped model.json and fixtures carry; kept unchanged

PAPER = 'Kim, Kim, Kim, Kim, Ko: Progressive Face Super-Resolution via Attention to Facial Landmark, BMVC 2019'
UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces128 train split — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')


def fold(G):
    out = {}
    put_conv(out, 'p/stem', G.stem)
    for k, s in enumerate(G.steps, 1):
        p = f'p/s{k}'
        put_block(out, f'{p}/res', s.res)
        # torch ConvTranspose2d weight [in, out, kh, kw] -> [kh, kw, out, in] (the conv permutation)
        put_conv(out, f'{p}/up', s.up)
        put_bn(out, f'{p}/bn', s.bn)
        put_conv(out, f'{p}/rgb', s.to_rgb)
    return out


def forward_exported(W, lr, step=3, alpha=1.0):
    """Plain ops over the exported arrays (mirrors src/models/progressiveSr.ts) -> (raw list, out)."""
    h = F.relu(conv(W, lr, 'p/stem'))
    raw = []
    for k in range(1, step + 1):
        p = f'p/s{k}'
        h = preact_block(W, h, f'{p}/res')  # pre-activation residual, identity shortcut
        h = F.conv_transpose2d(h, tensor(W[f'{p}/up/w']).permute(3, 2, 0, 1), tensor(W[f'{p}/up/b']), stride=2, padding=1)
        h = F.relu(bn(W, h, f'{p}/bn'))
        raw.append(conv(W, h, f'{p}/rgb'))
    out = raw[-1]
    if step > 1 and alpha < 1:  # §3.1 fade-in, f = nearest x2
        out = (1 - alpha) * F.interpolate(raw[-2], scale_factor=2, mode='nearest') + alpha * raw[-1]
    return raw, out


def model_config(G):
    return {'architecture': 'progressive-sr-generator', 'inputPx': 16, 'stepPx': list(STEP_PX),
            'widths': list(G.widths), 'output': 'NHWC float32, linear toRGB, trained range [-1, 1]',
            'fadeIn': '(1 - alpha) * f(G^{N-1}(I)) + alpha * G^N(I), f = nearest x2 (paper 003 §3.1)',
            'transposedConv': '4x4 stride 2, PyTorch padding 1 == tfjs conv2dTranspose pad same',
            'batchNorm': 'folded from running statistics (inference mode)'}


def fixture(name, mj, W, data_dir=None):
    hr_u8, _ = load_faces128(data_dir, 'test', limit=2)
    lr = bilinear_down(to_float(hr_u8), 16)
    lr_u8 = to_u8(lr)
    x = torch.from_numpy(lr_u8.astype(np.float32) / 127.5 - 1.0).permute(0, 3, 1, 2)

    cases = []
    with torch.no_grad():
        raw, _ = forward_exported(W, x, 3, 1.0)
        for k, im in enumerate(raw, 1):
            im = im.permute(0, 2, 3, 1).numpy()
            s = im.shape[1]
            cases.append({'step': k, 'alpha': 1.0, 'what': 'raw', 'crop': {'y': s // 2 - 2, 'x': s // 2 - 2, 'h': 4, 'w': 4},
                          'values': r6(im[:, s // 2 - 2:s // 2 + 2, s // 2 - 2:s // 2 + 2]),
                          'corner': r6(im[:, :3, :3]), 'mean': r6(im.mean((1, 2, 3))), 'std': r6(im.std((1, 2, 3)))})
        for step, alpha in ((2, 0.3), (3, 0.6)):
            _, im = forward_exported(W, x, step, alpha)
            im = im.permute(0, 2, 3, 1).numpy()
            s = im.shape[1]
            cases.append({'step': step, 'alpha': alpha, 'what': 'blend', 'crop': {'y': s // 2 - 2, 'x': s // 2 - 2, 'h': 4, 'w': 4},
                          'values': r6(im[:, s // 2 - 2:s // 2 + 2, s // 2 - 2:s // 2 + 2]),
                          'corner': r6(im[:, :3, :3]), 'mean': r6(im.mean((1, 2, 3))), 'std': r6(im.std((1, 2, 3)))})
    return {'model': name, 'generated_by': GENERATED_BY, 'layout': 'NHWC',
            'weights_integrity': mj['integrity'], 'lr_u8_base64': base64.b64encode(lr_u8.tobytes()).decode(),
            'lr_shape': list(lr_u8.shape), 'input_note': 'x = u8/127.5 - 1; faces128 TEST 0 and 1, bilinear 128 -> 16',
            'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3 per case (centre 4x4 and 3x3 corner, both samples)',
            'cases': cases}


def card(name, run, G, nbytes, shards, metrics, note=None):
    c = run['cfg']
    minutes = run['wall_seconds'] / 60
    att = c['w_attention'] > 0
    quality = (f"CPU-trained stand-in: {run['iterations']:,} iterations (batch {c['batch']}) on "
               f"{run['train_images']:,} faces in {minutes:.1f} min on one {run['hardware']} thread — about "
               f"{100 * run['iterations'] / 200_000:.1f}% of the paper's 200K iterations, with much narrower "
               "layers; compare it with bicubic in metrics, not with the paper's numbers."
               + ('' if run['finished'] else ' The schedule did NOT finish (stopped early at iteration '
                  f"{run['iterations']} of {sum(c['iters'])})."))
    if note:
        quality += ' ' + note
    return {
        'model': name, 'title': 'Progressive face SR 16 -> 32 -> 64 -> 128' + ('' if att else ' (no attention loss)'),
        'paper': PAPER,
        'quality_note': quality,
        'architecture': {**model_config(G), 'parameters': param_count(G), 'discriminator_parameters': run['params']['D'],
                         'generator': 'stem 3x3 conv; per step: pre-activation residual block (BN, ReLU, 3x3 convs), '
                                      'ConvTranspose 4x4/2, BN, ReLU, 1x1 toRGB head (all 3 heads exported)',
                         'discriminator': 'mirrored: 1x1 fromRGB per step, conv-LReLU(0.2)-conv-LReLU-AvgPool2 per step, '
                                          'minibatch stddev map, 3x3 conv, dense -> 1; fade-in mirrored (not exported)'},
        'data': UTK, 'license': 'Weights derived from UTKFace: non-commercial research use only.',
        'data_detail': f"faces128 train indices {run['train_indices'][0]}..{run['train_indices'][1]} "
                       f"({run['train_images']:,} faces), random horizontal flips; targets bilinear 128 -> 32/64, "
                       'LR input bilinear 128 -> 16 (antialiased), paper §4.1',
        'losses': {
            'equation_6': 'a*L_pixel + b*L_feat + c*L_WGAN at step 1; + l*L_heatmap + e*L_attention at steps 2 and 3',
            'weights': {'a_pixel': c['w_pixel'], 'b_feat': c['w_feat'], 'c_wgan': c['w_wgan'],
                        'l_heatmap': c['w_heatmap'], 'e_attention': c['w_attention']},
            'weights_note': 'the paper gives no values for a, b, c, l, e; these are ours',
            'pixel': 'Eq. 2, MSE on [-1, 1] images',
            'feature': 'Eq. 3 with phi = a FIXED, seeded, random 3-layer conv net (16/32/32 channels, He init, never '
                       'trained; train/progressive_sr.FixedFeatures) instead of VGG16: VGG weights cannot be fetched '
                       'offline and face-api\'s recognition net is tfjs-only. Random conv features keep local edge/texture '
                       'statistics (He, Wang, Hopcroft 2016) but are not semantic VGG features.',
            'wgan': f"Eq. 4 WGAN-GP, lambda {c['gp_lambda']}, plus Karras' epsilon-drift {c['drift']} on D; n_dis {c['n_dis']}",
            'attention': ('Eq. 1 on the 64 and 128 px outputs; M* = channel max of min-max normalised Gaussian heatmaps '
                          f"(sigma {run['attention']['sigma_px_at_128']} px at 128, scaled with size) rendered from the "
                          f"TEACHER landmarks cached in .cache/landmarks ({run['attention'].get('teacher')}), not from a "
                          'distilled FAN on the HR image') if att else 'off (e = 0): the ablation twin',
            'heatmap': 'Eq. 5 ' + run['heatmap_loss'],
        },
        'training': {
            'config': run['config'], 'iterations_per_step': list(c['iters']), 'fade_fraction': c['fade'],
            'iterations': run['iterations'], 'finished': run['finished'], 'batch': c['batch'],
            'optimizer': f"Adam lr {c['lr']:g} (paper), betas {tuple(c['betas'])} (ours)", 'seed': c['seed'],
            'wall_minutes': round(minutes, 1),
            'hardware': run['hardware'], 'device': run['device'], 'threads': run['threads'], 'torch': run['torch'],
            'final_losses': run['final_losses'], 'loss_history': run['loss_history'][::max(1, len(run['loss_history']) // 60)],
        },
        'metrics': metrics,
        'weights': weights_field(nbytes, shards),
        'exported_at': utc_now(),
    }


def export(run_dir, out_dir, metrics_path=None, fixture_dir=None, data_dir=None, note=None):
    ck, run = load_run(run_dir)
    G = ProgressiveSRG(ck['cfg']['g_widths'])
    G.load_state_dict(ck['G'])
    G.eval()
    name = os.path.basename(os.path.normpath(out_dir))
    model, nbytes, W = export_weights(fold(G), out_dir, model_config(G), name, GENERATED_BY)
    lr = torch.rand(4, 3, 16, 16, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        err = check_roundtrip(max(rel_err(forward_exported(W, lr, step, alpha)[1], G(lr, step, alpha))
                                  for step, alpha in ((1, 1.0), (2, 0.5), (3, 1.0), (3, 0.25))))
    metrics = None
    if metrics_path:
        with open(metrics_path) as f:
            m = json.load(f)
        metrics = {'test': {k: v for k, v in m.items() if k != 'runs'}, 'this_model': m['runs'].get(os.path.basename(os.path.normpath(run_dir))),
                   'all_runs': m['runs'], 'made_by': 'train/eval_progressive_sr.py',
                   'conventions': 'PSNR/SSIM/MS-SSIM on 8-bit RGB at 128 px (train/sr_metrics.py; MS-SSIM over 4 scales)'}
    write_json(os.path.join(out_dir, 'card.json'), card(name, run, G, nbytes, n_shards(model), metrics, note))
    fx_dir = fixture_dir or FIXTURES_DIR
    with open(os.path.join(fx_dir, f'{name}-parity.json'), 'w') as f:
        json.dump(fixture(name, model, W, data_dir), f)  # default separators, no newline: as the committed fixtures
    print(f'exported {name} ({param_count(G):,} params, {nbytes / 1e6:.3f} MB float16) to {out_dir}; '
          f'float16 round-trip rel err {err:.2e}; fixture {fx_dir}/{name}-parity.json')


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True)
    ap.add_argument('--out', default=os.path.join(WEIGHTS_DIR, 'progressive-sr'))
    ap.add_argument('--metrics', default=None, help='JSON from python3 -m train.progressive_sr.eval')
    ap.add_argument('--fixture-dir', default=None, help='default test/fixtures')
    ap.add_argument('--data-dir', default=None)
    ap.add_argument('--note', default=None, help="a person's observation, appended to quality_note")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    export(a.run, a.out, a.metrics, a.fixture_dir, a.data_dir, a.note)


if __name__ == '__main__':
    main()
