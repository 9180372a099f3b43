"""Driver for the paper's two claims, measured with the project's FID-proxy tool.

  /usr/bin/python3 -m train.degradation.claims [--sets train/runs/claims] [--seeds 0,1,2] [--no-dump]

1. runs train/degradation/eval.py (dumps the .npy sets from the EXPORTED weights),
2. runs `node scripts/fid-proxy.js A B --limit 104 --seed S --json ...` (the same code as
   `npm run eval:fid`) for every comparison and seed: N = 104 on BOTH sides, because the
   real-LR test split has 104 faces (FID-proxy values are only comparable at equal N; small
   N biases them upwards, so only the differences between rows mean anything). Where a set
   is larger than 104, each seed draws a different random subset of 104 of it;
3. writes <sets>/claims.json and fills the `fid_proxy` field of static/weights/{degrader,
   low2high,low2high-bicubic}/card.json with the measured numbers (nothing else).

FID-proxy = Fréchet distance between face-api's 128-D face-recognition descriptors (NOT
Inception-v3: not comparable to the paper's FID values). The recognition net takes 150x150
input, so 16x16 and 64x64 faces are upscaled to 150x150 before it sees them.
"""
import argparse
import datetime
import json
import os
import statistics
import subprocess

from train.common.export import weights_sha
from train.common.paths import REPO_ROOT, RUNS_DIR
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degradation.eval import dump

N = 104
COMPARISONS = {
    # claim 1: which 16x16 set looks more like real LR faces?
    'degrader_vs_real_lr_test': ('deg_lr16', 'real_lr16_test'),
    'bicubic_vs_real_lr_test': ('bicubic_lr16', 'real_lr16_test'),
    'real_lr_train_vs_real_lr_test': ('real_lr16_train', 'real_lr16_test'),  # real-vs-real reference
    # claim 2: super-resolved REAL LR test faces vs HR test faces
    'low2high_sr_vs_hr_test': ('sr_deg64', 'hr64_test'),
    'low2high_bicubic_sr_vs_hr_test': ('sr_bic64', 'hr64_test'),
    'bicubic_upsampling_vs_hr_test': ('up_bicubic64', 'hr64_test'),  # no-learning reference
}
NOTE = ('FID-proxy: Fréchet distance of face-api 128-D face-recognition descriptors, NOT Inception FID (not comparable '
        f'to the paper). N = {N} on both sides (the real-LR test split has 104 faces); larger sets are subsampled to 104 '
        'per seed. The recognition net sees every face upscaled to 150x150 (16x16 LR faces are blown up ~9x). '
        'Small N biases values upwards: compare rows with each other only. Lower = closer.')


def fid(a, b, seed, tmp_json, n=N):
    cmd = ['node', os.path.join(REPO_ROOT, 'scripts', 'fid-proxy.js'), a, b, '--limit', str(n), '--seed', str(seed),
           '--json', tmp_json]
    r = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'fid-proxy failed ({r.returncode}): {r.stderr[-2000:]}')
    with open(tmp_json) as f:
        return json.load(f)


def summarise(vals):
    return {'mean': round(statistics.mean(vals), 4), 'sd': round(statistics.stdev(vals), 4) if len(vals) > 1 else None,
            'per_seed': [round(v, 4) for v in vals]}


def run(sets_dir, seeds, only=None):
    with open(os.path.join(sets_dir, 'sets.json')) as f:
        info = json.load(f)
    results = {}
    for name, (a, b) in COMPARISONS.items():
        if only and name not in only:
            continue
        pa, pb = (os.path.join(sets_dir, f'{s}.npy') for s in (a, b))
        if not (os.path.exists(pa) and os.path.exists(pb)):
            print(f'skip {name}: set missing', flush=True)
            continue
        vals = []
        for s in seeds:
            j = fid(pa, pb, s, os.path.join(sets_dir, f'fid-{name}-seed{s}.json'))
            vals.append(j['value'])
            print(f"{name} seed {s}: FID-proxy {j['value']:.4f} (N={j['sets'][0]['n']} vs {j['sets'][1]['n']})", flush=True)
        results[name] = {'set_a': a, 'set_b': b, 'n_a': N if info['sets'][a][0] >= N else info['sets'][a][0],
                         'n_b': N if info['sets'][b][0] >= N else info['sets'][b][0], 'seeds': seeds, **summarise(vals)}
    prev_path = os.path.join(sets_dir, 'claims.json')
    if os.path.exists(prev_path):  # keep earlier comparisons measured on the very same weights
        with open(prev_path) as f:
            prev = json.load(f)
        same = all(prev['weights_sha256'].get(k) in (None, v) for k, v in info['weights'].items())
        if same and prev.get('noise_seed') == info['noise_seed']:
            results = {**{k: v for k, v in prev['results'].items() if k not in results}, **results}
    results = {k: results[k] for k in COMPARISONS if k in results}
    out = {'metric': 'FID-proxy', 'note': NOTE, 'n': N, 'weights_sha256': info['weights'],
           'noise_seed': info['noise_seed'], 'results': results,
           'measured_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}
    r = results
    if 'degrader_vs_real_lr_test' in r and 'bicubic_vs_real_lr_test' in r:
        out['claim1_degrader_closer_to_real_lr_than_bicubic'] = r['degrader_vs_real_lr_test']['mean'] < r['bicubic_vs_real_lr_test']['mean']
    if 'low2high_sr_vs_hr_test' in r and 'low2high_bicubic_sr_vs_hr_test' in r:
        out['claim2_degrader_trained_sr_closer_to_hr_than_bicubic_trained_sr'] = \
            r['low2high_sr_vs_hr_test']['mean'] < r['low2high_bicubic_sr_vs_hr_test']['mean']
    with open(os.path.join(sets_dir, 'claims.json'), 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
    return out


def fill_cards(out, weights_dir=WEIGHTS):
    """Write the measured numbers into the cards whose weights were the ones evaluated."""
    keys = {'degrader': ['degrader_vs_real_lr_test', 'bicubic_vs_real_lr_test', 'real_lr_train_vs_real_lr_test'],
            'low2high': ['low2high_sr_vs_hr_test', 'low2high_bicubic_sr_vs_hr_test', 'bicubic_upsampling_vs_hr_test'],
            'low2high-bicubic': ['low2high_bicubic_sr_vs_hr_test', 'low2high_sr_vs_hr_test', 'bicubic_upsampling_vs_hr_test']}
    for model, ks in keys.items():
        p = os.path.join(weights_dir, model, 'card.json')
        if not os.path.exists(p) or model not in out['weights_sha256']:
            continue
        if weights_sha(os.path.join(weights_dir, model)) != out['weights_sha256'][model]:
            print(f'{model}: weights changed since the sets were dumped; card not updated', flush=True)
            continue
        with open(p) as f:
            card = json.load(f)
        card['fid_proxy'] = {'metric': 'FID-proxy', 'n_per_side': out['n'], 'note': out['note'],
                             'measured_at': out['measured_at'], 'weights_sha256': out['weights_sha256'][model],
                             'results': {k: out['results'][k] for k in ks if k in out['results']},
                             **{k: v for k, v in out.items() if k.startswith('claim')}}
        card['fid_proxy_note'] = 'Measured by train/claims_driver.py (npm run eval:fid); see fid_proxy.note.'
        with open(p, 'w') as f:
            json.dump(card, f, indent=1, ensure_ascii=False)
        print(f'filled fid_proxy in {p}', flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--sets', default=os.path.join(RUNS_DIR, 'claims'))
    ap.add_argument('--weights', default=WEIGHTS)
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--only', default=None, help='comma-separated comparison names')
    ap.add_argument('--no-dump', action='store_true', help='reuse the .npy sets already in --sets')
    ap.add_argument('--no-cards', action='store_true')
    a = ap.parse_args(argv)
    if not a.no_dump:
        import torch
        torch.set_num_threads(1)
        dump(a.sets, a.weights)
    out = run(a.sets, [int(s) for s in a.seeds.split(',')], a.only.split(',') if a.only else None)
    print(json.dumps({k: (v['mean'], v['sd']) for k, v in out['results'].items()}, indent=1))
    if not a.no_cards:
        fill_cards(out, a.weights)


if __name__ == '__main__':
    main()
