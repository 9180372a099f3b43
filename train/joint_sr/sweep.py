"""The offline blur-length sweep of the joint SR models (the joint spec; charted by the notebook):

  npm run eval:joint-sweep [-- --faces 200] [--out FILE] [--seeds 0,...,9]
  /usr/bin/python3 -m train.joint_sr.sweep [same options]

On the first `faces` (200) faces128 TEST faces, for each blur length L in LENGTHS (px at 128 px; 20 and 24
are beyond the training range U[0,16]) every face is blurred by motion_blur_kernel(L, angle_i) with the
angles U[0,180) from numpy default_rng(ANGLE_SEED) (the same angle per face at every length), then
bicubic x1/8 to 16 px. Per method (bicubic x8 upsampling, and joint-sr, joint-sr-noblur, joint-sr-nolocal
from their exported float16 weights; a method without weights is left out and listed in "skipped"): PSNR
and SSIM of the sharp output vs the sharp HR (mean and sd over faces) and the FID-proxy (evaluate.py:
face-api descriptors, paired seeded subsets of 80% of the faces, mean and sd over seeds).
JSON: static/eval/joint-sr-sweep.json in the shape N's notebook reads (schema srlab-joint-sr-sweep/1).
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time

import numpy as np
import torch

from train.common.export import read_exported, weights_sha
from train.common.images import to_u8
from train.common.paths import REPO_ROOT, WEIGHTS_DIR
from train.common.run_state import hardware
from train.joint_sr.evaluate import FID_SEEDS, bicubic_up, degrade_set, measure, sharp_outputs, test_faces

DEFAULT_JSON = os.path.join(REPO_ROOT, 'static', 'eval', 'joint-sr-sweep.json')
LENGTHS = [0, 4, 8, 12, 16, 20, 24]
N_FACES = 200
ANGLE_SEED = 1
MODELS = {'joint-sr': ('Joint SR + deblur (full)', 'both branches, D_g + D_l'),
          'joint-sr-noblur': ('Without the blurred branch', 'ablation: no upper decoder (no I^_HRB, no I_f)'),
          'joint-sr-nolocal': ('Without the local D', 'ablation: no face-region discriminator D_l')}


def rows_entry(length, m):
    fid = m.get('fid_proxy')
    row = {'length': length, 'psnr_db': {'mean': m['psnr_db'], 'sd': m['psnr_db_sd']},
           'ssim': {'mean': m['ssim'], 'sd': m['ssim_sd']}}
    if fid:
        row['fid_proxy'] = {'mean': fid['value'], **({'sd': fid['sd']} if fid['sd'] is not None else {}),
                            'per_seed': fid['per_seed']}
    return row


def sweep(n=N_FACES, lengths=LENGTHS, seeds=FID_SEEDS, weights_dir=WEIGHTS_DIR, log=print):
    t0 = time.time()
    hr = test_faces(n)
    hr_u8 = to_u8(hr)
    angles = np.random.default_rng(ANGLE_SEED).uniform(0.0, 180.0, len(hr))
    available = {k: os.path.join(weights_dir, k) for k in MODELS if os.path.isfile(os.path.join(weights_dir, k, 'model.json'))}
    skipped = {k: f'no weights in {os.path.join(weights_dir, k)}' for k in MODELS if k not in available}
    weights = {k: read_exported(d)[1] for k, d in available.items()}
    methods = {'bicubic': {'label': 'Bicubic x8', 'what': 'bicubic x8 upsampling of the LR', 'rows': []}}
    for k in available:
        methods[k] = {'label': MODELS[k][0], 'what': MODELS[k][1], 'weights': f'static/weights/{k}',
                      'weights_sha256': weights_sha(available[k]), 'rows': []}
    for length in lengths:
        lr = degrade_set(hr, np.full(len(hr), float(length)), angles)
        outs = {'bicubic': to_u8(bicubic_up(lr)), **{k: sharp_outputs(W, lr) for k, W in weights.items()}}
        for k, sr in outs.items():
            m = measure(sr, hr_u8, seeds)
            methods[k]['rows'].append(rows_entry(length, m))
            log(f"L {length:2d} {k:17s} PSNR {m['psnr_db']:.2f} SSIM {m['ssim']:.4f} FID-proxy "
                f"{m['fid_proxy']['value'] if 'fid_proxy' in m else float('nan'):.4f}", flush=True)
    return {
        'schema': 'srlab-joint-sr-sweep/1', 'command': ['npm', 'run', 'eval:joint-sweep', '--', *sys.argv[1:]],
        'measured_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'seconds': round(time.time() - t0, 1),
        'hardware': {'cpu': hardware(torch.device('cpu')), 'cores': os.cpu_count(), 'threads': torch.get_num_threads(),
                     'torch': torch.__version__, 'python': platform.python_version(),
                     'loadavg_at_start': [round(v, 2) for v in os.getloadavg()]},
        'faces': f'faces128 test, indices 0..{len(hr) - 1}', 'n_faces': len(hr), 'angle_seed': ANGLE_SEED,
        'how': f'each face blurred by motionBlurKernel(length, angle) with its angle U[0,180) deg from numpy '
               f'default_rng({ANGLE_SEED}) (the same at every length), reflect padding, then bicubic x1/8 to 16 px '
               '(antialiased, a=-0.5, clamped); PSNR/SSIM (RGB, 8-bit, whole 128 px face) of the sharp output vs the '
               'sharp HR; the models run from their exported float16 weights',
        'fid_note': f'FID-proxy: Frechet distance of face-api 128-D face descriptors (NOT Inception FID; descriptors '
                    f'in PyTorch, frechet.ts formula) of the outputs vs the same faces\' HR, on paired seeded subsets '
                    f'of {max(2, round(0.8 * len(hr)))} of the {len(hr)} faces, mean and sd over {len(seeds)} seeds; '
                    'compare only within this file (the value depends on the set size)',
        'lengths': list(lengths), 'training_range': {'lengthMax': 16, 'note': 'lengths 20 and 24 are beyond it'},
        'skipped': skipped, 'methods': methods,
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--faces', type=int, default=N_FACES)
    ap.add_argument('--out', default=DEFAULT_JSON)
    ap.add_argument('--seeds', default=','.join(map(str, FID_SEEDS)), help="FID-proxy subset seeds ('' for none)")
    ap.add_argument('--weights-dir', default=WEIGHTS_DIR)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    seeds = tuple(int(s) for s in a.seeds.split(',') if s != '')
    report = sweep(a.faces, LENGTHS, seeds, a.weights_dir)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, 'w') as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    print(f'wrote {a.out} ({report["seconds"]:.0f} s)')


if __name__ == '__main__':
    main()
