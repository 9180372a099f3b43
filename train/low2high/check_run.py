"""Mid-run (or end-of-run) check of a Low-to-High run on REAL low-resolution faces: export the run's
current checkpoint to a temporary folder (the same export as shipping, float16 round-trip checked)
and run the real-LR evaluation (train/degradation/real_lr_eval.py) for it next to plain bicubic and
the shipped low2high, on the same faces with the same FID-proxy seeds; the verdict says whether it
beats bicubic beyond the seed spread. Reads checkpoint.pt only (written atomically by the run), so it
can run beside the training process; nothing in static/ changes.

  /usr/bin/python3 -m train.low2high.check_run --run train/runs/low2high-cpu-long [--seeds 0,1,2] [--n 104]
      [--out .cache/check-low2high-cpu-long] [--keep DIR]   # --keep: export there instead of a temp dir
"""
import argparse
import os
import tempfile

import torch

from train.common.paths import REPO_ROOT
from train.degradation.real_lr_eval import evaluate, table
from train.low2high.export import export


def check(run_dir, out_dir, seeds, fid_n=None, keep=None, shipped=True, limit=None, spread_draws=200):
    name = 'candidate-' + os.path.basename(os.path.normpath(run_dir))
    with tempfile.TemporaryDirectory() as tmp:
        weights = keep or os.path.join(tmp, name)
        export(run_dir, weights, name=name)
        methods = ['bicubic'] + (['low2high'] if shipped else [])
        return evaluate(out_dir, limit, seeds, methods=methods, candidates={name: weights}, fid_n=fid_n,
                        spread_draws=spread_draws)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True, help='run dir with checkpoint.pt + run.json')
    ap.add_argument('--out', default=None, help='report folder (default .cache/check-<run name>)')
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--n', type=int, default=None, help='FID-proxy faces per side per seed (default: all 104)')
    ap.add_argument('--limit', type=int, default=None, help='a seeded subset of the real-LR test faces')
    ap.add_argument('--keep', default=None, help='export the checkpoint to this folder (kept) instead of a temp dir')
    ap.add_argument('--spread-draws', type=int, default=200, help='subsample draws of the spread (0: none)')
    ap.add_argument('--no-shipped', action='store_true', help='leave out the shipped low2high')
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    out = a.out or os.path.join(REPO_ROOT, '.cache', 'check-' + os.path.basename(os.path.normpath(a.run)))
    rep = check(a.run, out, [int(s) for s in a.seeds.split(',')], a.n, a.keep, not a.no_shipped, a.limit, a.spread_draws)
    print(table(rep))
    print(f"wrote {os.path.join(out, 'report.json')} and contact-sheet.png ({rep['seconds']} s)")


if __name__ == '__main__':
    main()
