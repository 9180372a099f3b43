"""The FID-proxy's spread over many subsamples of BOTH sides, for deciding between SR methods.

The FID-proxy tool (scripts/fid-proxy.js) recomputes face descriptors on every call, so a handful
of seeds is all a run affords, and with N = all real-LR faces only the HR side varies. Here the
descriptors are computed once per set with the same network in PyTorch (train/common/face_net.py,
face-api's recognition net, which the tool runs in tfjs; square crops give the same descriptors),
and the Fréchet distance (src/lib/eval/frechet.ts's formula, sample covariances) is taken over
`draws` random subsamples: n_hr of the HR faces and n_sr of the real-LR faces per draw, the SAME
faces for every method in a draw, so the differences to bicubic are paired.

Reported per method: FID-proxy mean and sd over draws; against bicubic the mean paired difference,
its 2.5 / 97.5 percentiles and the share of draws where the method is lower. `beats` when the
97.5 percentile is below zero (lower than bicubic in at least 97.5% of the draws).

  /usr/bin/python3 -m train.degradation.fid_spread --hr hr64_test.npy --set bicubic=up.npy --set low2high=sr.npy \
      [--n 78] [--draws 200] [--cache hr-descriptors.npz]     # sets: uint8 NHWC .npy, the same faces in order
"""
import argparse
import hashlib
import json
import os

import numpy as np
import torch

from train.common.face_net import load_face_net
from train.common.images import to_float

SPREAD_RULE = 'paired difference to bicubic below zero in at least 97.5% of the subsample draws'


@torch.no_grad()
def descriptors(u8, net=None, batch=32):
    """uint8 NHWC faces -> [N, 128] float64 face-api descriptors."""
    net = net or load_face_net()
    out = [net.descriptor(to_float(u8[i:i + batch])) for i in range(0, len(u8), batch)]
    return torch.cat(out).double().numpy()


def cached_descriptors(u8, path):
    """descriptors(u8), kept in `path` (.npz) keyed by the images' sha256 (the 1,000 HR faces take ~1 min)."""
    key = hashlib.sha256(np.ascontiguousarray(u8).tobytes()).hexdigest()
    if os.path.exists(path):
        with np.load(path) as z:
            if str(z['sha256']) == key:
                return z['features']
    feats = descriptors(u8)
    np.savez(path, features=feats, sha256=key)
    return feats


def frechet(a, b):
    """Fréchet distance between Gaussians fitted to feature rows a [N,D] and b [M,D]."""
    mu_a, mu_b = a.mean(0), b.mean(0)
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(ca)
    ca_half = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh(ca_half @ cb @ ca_half), 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(ca) + np.trace(cb) - 2 * tr_sqrt)


def spread(sr_feats, hr_feats, n_sr, n_hr, draws=200, seed=0, reference='bicubic'):
    """sr_feats: {method: [n_faces, D]} (same faces, same order); hr_feats [M, D] -> report dict."""
    rng = np.random.default_rng(seed)
    n_faces = len(next(iter(sr_feats.values())))
    vals = {k: [] for k in sr_feats}
    for _ in range(draws):
        i_sr = rng.choice(n_faces, n_sr, replace=False)
        i_hr = rng.choice(len(hr_feats), n_hr, replace=False)
        h = hr_feats[i_hr]
        for k, f in sr_feats.items():
            vals[k].append(frechet(f[i_sr], h))
    out = {'draws': draws, 'n_sr': n_sr, 'n_hr': n_hr, 'seed': seed, 'rule': SPREAD_RULE, 'methods': {}}
    ref = np.array(vals[reference]) if reference in vals else None
    for k, v in vals.items():
        v = np.array(v)
        m = {'mean': round(float(v.mean()), 5), 'sd': round(float(v.std(ddof=1)), 5)}
        if ref is not None and k != reference:
            d = v - ref
            lo, hi = np.percentile(d, [2.5, 97.5])
            m['vs_' + reference] = {'diff_mean': round(float(d.mean()), 5), 'diff_p2_5': round(float(lo), 5),
                                    'diff_p97_5': round(float(hi), 5), 'share_lower': round(float((d < 0).mean()), 3),
                                    'beats': bool(hi < 0)}
        out['methods'][k] = m
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--hr', required=True, help='HR faces, uint8 NHWC .npy')
    ap.add_argument('--set', action='append', required=True, metavar='NAME=NPY', help='SR outputs of the same faces; repeatable')
    ap.add_argument('--n', type=int, default=None, help='faces per side per draw (default 3/4 of the SR faces)')
    ap.add_argument('--draws', type=int, default=200)
    ap.add_argument('--cache', default=None, help='.npz cache of the HR descriptors')
    ap.add_argument('--json', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    hr = np.load(a.hr)
    hr_feats = cached_descriptors(hr, a.cache) if a.cache else descriptors(hr)
    sets = dict(s.split('=', 1) for s in a.set)
    feats = {k: descriptors(np.load(v)) for k, v in sets.items()}
    n = a.n or (3 * len(next(iter(feats.values())))) // 4
    out = {**spread(feats, hr_feats, n, n, a.draws), 'sets': sets, 'hr': a.hr}
    for k, m in out['methods'].items():
        v = m.get('vs_bicubic')
        print(f"{k}: {m['mean']:.4f} ± {m['sd']:.4f}" + (
            f"; - bicubic {v['diff_mean']:+.4f} [{v['diff_p2_5']:+.4f}, {v['diff_p97_5']:+.4f}], lower in "
            f"{v['share_lower']:.0%} of draws -> {'BEATS' if v['beats'] else 'does not beat'} bicubic" if v else ''))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(out, f, indent=1)


if __name__ == '__main__':
    main()
