"""Test-split PSNR / SSIM / MS-SSIM of progressive-SR runs against bicubic (paper 003, Tables 2-3).

  /usr/bin/python3 -m train.progressive_sr.eval --runs train/runs/progressive-sr-noatt-cpu \
      train/runs/progressive-sr-cpu --n 500 --out train/runs/progressive-sr-metrics.json

For the first `n` faces128 TEST faces: LR = bilinear 128 -> 16 (as in training, §4.1); bicubic =
bicubic 16 -> 128 upsampling; each run's generator at step 3, alpha 1 (batch norm in inference
mode, the weights that are exported). Outputs are clamped and rounded to 8 bits before the
metrics (train/common/metrics.py). Also PSNR of the 32 and 64 px step outputs vs their bilinear
targets, so the card shows every step. With a run trained with the attention loss and one
without, `paired` gives the per-face difference (with - without) of each metric: its mean and
the half-width of a normal 95% interval (1.96 * sd / sqrt(n)), so a card can say whether the
twins' gap is larger than what the choice of test faces alone would move.
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

from train.common.data import load_faces128
from train.common.images import bilinear_down, to_float, to_u8_levels
from train.common.metrics import ms_ssim_each, psnr, psnr_each, ssim_each
from train.progressive_sr.model import ProgressiveSRG


def load_generator(run_dir):
    ck = torch.load(os.path.join(run_dir, 'checkpoint.pt'), map_location='cpu', weights_only=False)  # no run.json needed
    G = ProgressiveSRG(ck['cfg']['g_widths'])
    G.load_state_dict(ck['G'])
    return G.eval(), {**ck['cfg'], 'iterations': ck['it']}


ROUND = {'psnr': 3, 'ssim': 4, 'ms_ssim': 4}


def per_face(sr, hr):
    a, b = to_u8_levels(sr), to_u8_levels(hr)
    return {'psnr': psnr_each(a, b), 'ssim': ssim_each(a, b), 'ms_ssim': ms_ssim_each(a, b)}


def means(each):
    return {k: round(float(v.mean()), ROUND[k]) for k, v in each.items()}


def paired(a, b):
    """Per-face a - b for each metric: mean and 95% half-width (normal approximation)."""
    out = {}
    for k in a:
        d = (a[k] - b[k]).double()
        half = 1.96 * float(d.std(unbiased=True)) / len(d) ** 0.5 if len(d) > 1 else float('nan')
        out[k] = {'mean': round(float(d.mean()), ROUND[k] + 1), 'ci95': round(half, ROUND[k] + 1)}
    return out


def evaluate(runs, n=500, data_dir=None, batch=50):
    t0 = time.time()
    hr_u8, _ = load_faces128(data_dir, 'test', limit=n)
    hr = to_float(hr_u8)
    lr = bilinear_down(hr, 16)
    out = {'n_test_faces': int(len(hr)), 'split': 'faces128 test, indices 0..%d' % (len(hr) - 1),
           'lr': 'bilinear (antialiased) 128 -> 16', 'bicubic': None, 'runs': {}}
    bic = F.interpolate(lr, size=(128, 128), mode='bicubic', align_corners=False)
    out['bicubic'] = means(per_face(bic, hr))
    each_run = {}
    for r in runs:
        G, cfg = load_generator(r)
        outs = [[], [], []]
        with torch.no_grad():
            for i in range(0, len(hr), batch):
                raw, _ = G(lr[i:i + batch], 3, 1.0, all_steps=True)
                for k in range(3):
                    outs[k].append(raw[k])
        outs = [torch.cat(o) for o in outs]
        each = per_face(outs[2], hr)
        res = means(each)
        res['psnr_step1_32px'] = round(float(psnr(to_u8_levels(outs[0]), to_u8_levels(bilinear_down(hr, 32)))), 3)
        res['psnr_step2_64px'] = round(float(psnr(to_u8_levels(outs[1]), to_u8_levels(bilinear_down(hr, 64)))), 3)
        res['attention_weight'] = cfg['w_attention']
        res['iterations'] = cfg['iterations']
        out['runs'][os.path.basename(os.path.normpath(r))] = res
        each_run.setdefault('with' if cfg['w_attention'] > 0 else 'without', each)
    if len(each_run) == 2:
        out['paired'] = {'what': 'per-face (with attention loss) - (without), first run of each; mean and 95% '
                                 'half-width 1.96 sd / sqrt(n)',
                         **paired(each_run['with'], each_run['without'])}
    out['seconds'] = round(time.time() - t0, 1)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--runs', nargs='+', required=True)
    ap.add_argument('--n', type=int, default=500)
    ap.add_argument('--data-dir', default=None)
    ap.add_argument('--out', default=None, help='write the JSON here (default: print only)')
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    res = evaluate(a.runs, a.n, a.data_dir)
    print(json.dumps(res, indent=1))
    if a.out:
        with open(a.out, 'w') as f:
            json.dump(res, f, indent=1)


if __name__ == '__main__':
    main()
