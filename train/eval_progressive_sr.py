"""Test-split PSNR / SSIM / MS-SSIM of progressive-SR runs against bicubic (paper 003, Tables 2-3).

  /usr/bin/python3 train/eval_progressive_sr.py --runs train/runs/progressive-sr-noatt-cpu \
      train/runs/progressive-sr-cpu --n 500 --out train/runs/progressive-sr-metrics.json

For the first `n` faces128 TEST faces: LR = bilinear 128 -> 16 (as in training, §4.1); bicubic =
bicubic 16 -> 128 upsampling; each run's generator at step 3, alpha 1 (batch norm in inference
mode, the weights that are exported). Outputs are clamped and rounded to 8 bits before the
metrics (train/sr_metrics.py). Also PSNR of the 32 and 64 px step outputs vs their bilinear
targets, so the card shows every step.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from data import load_faces128, to_float  # noqa: E402
from progressive_sr import ProgressiveSRG, bilinear_down  # noqa: E402
from sr_metrics import ms_ssim, psnr, ssim, to_u8_levels  # noqa: E402


def load_generator(run_dir):
    ck = torch.load(os.path.join(run_dir, 'checkpoint.pt'), map_location='cpu', weights_only=False)
    G = ProgressiveSRG(ck['cfg']['g_widths'])
    G.load_state_dict(ck['G'])
    return G.eval(), {**ck['cfg'], 'iterations': ck['it']}


def scores(sr, hr):
    a, b = to_u8_levels(sr), to_u8_levels(hr)
    return {'psnr': round(float(psnr(a, b)), 3), 'ssim': round(float(ssim(a, b)), 4),
            'ms_ssim': round(float(ms_ssim(a, b)), 4)}


def evaluate(runs, n=500, data_dir=None, batch=50):
    t0 = time.time()
    hr_u8, _ = load_faces128(data_dir, 'test', limit=n)
    hr = to_float(hr_u8)
    lr = bilinear_down(hr, 16)
    out = {'n_test_faces': int(len(hr)), 'split': 'faces128 test, indices 0..%d' % (len(hr) - 1),
           'lr': 'bilinear (antialiased) 128 -> 16', 'bicubic': None, 'runs': {}}
    bic = F.interpolate(lr, size=(128, 128), mode='bicubic', align_corners=False)
    out['bicubic'] = scores(bic, hr)
    for r in runs:
        G, cfg = load_generator(r)
        outs = [[], [], []]
        with torch.no_grad():
            for i in range(0, len(hr), batch):
                raw, _ = G(lr[i:i + batch], 3, 1.0, all_steps=True)
                for k in range(3):
                    outs[k].append(raw[k])
        outs = [torch.cat(o) for o in outs]
        res = scores(outs[2], hr)
        res['psnr_step1_32px'] = round(float(psnr(to_u8_levels(outs[0]), to_u8_levels(bilinear_down(hr, 32)))), 3)
        res['psnr_step2_64px'] = round(float(psnr(to_u8_levels(outs[1]), to_u8_levels(bilinear_down(hr, 64)))), 3)
        res['attention_weight'] = cfg['w_attention']
        res['iterations'] = cfg['iterations']
        out['runs'][os.path.basename(os.path.normpath(r))] = res
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
