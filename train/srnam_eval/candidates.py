"""Per-face measures of SR-NAM's K candidates, the Python twins of src/lib/srnam/metrics.ts:

  lr_l1        LR-consistency: mean |D(G(z_k)) - I_LR| on the [0, 1] pixel scale (what Eq. 6
               drives down), per candidate; the notebook ranks candidates by it (lowest first)
  pairwise     [K, K] mean |G(z_i) - G(z_j)| on the [0, 1] scale (§3.4 "Multiple Solutions")
  distinct     the number of groups of candidates left when every pair closer than COLLAPSE_L1 is
               merged (connected components): restarts that collapsed onto one face count once
"""
import torch

# Two candidates closer than this (mean |difference| over 64x64x3 on [0, 1]) are taken as one face;
# set by eye on real-LR candidates (src/lib/srnam/candidateRanking.ts COLLAPSE_L1 says how; same number).
COLLAPSE_L1 = 0.05


def lr_l1(degraded, lr):
    """degraded [N,K,3,h,w], lr [N,3,h,w], both in [-1, 1] -> [N,K] mean |difference| on [0, 1]."""
    return ((degraded - lr[:, None]).abs() / 2).mean((2, 3, 4))


def pairwise(cands):
    """cands [K,3,H,W] in [-1, 1] -> [K,K] mean |G_i - G_j| on [0, 1] (zero diagonal)."""
    flat = cands.reshape(len(cands), -1)
    return (flat[:, None] - flat[None]).abs().mean(2) / 2


def distinct(dist, threshold=COLLAPSE_L1):
    """Connected components of the graph whose edges are the pairs with dist < threshold."""
    k = len(dist)
    group = list(range(k))

    def root(i):
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i
    for i in range(k):
        for j in range(i + 1, k):
            if float(dist[i, j]) < threshold:
                group[root(i)] = root(j)
    return len({root(i) for i in range(k)})


def mean_off_diagonal(dist):
    k = len(dist)
    return float(dist.sum() / (k * (k - 1))) if k > 1 else 0.0


def face_measures(cands, degraded, lr, threshold=COLLAPSE_L1):
    """One face's K candidates -> dict of plain numbers (see the module docstring)."""
    cons = lr_l1(degraded[None], lr[None])[0]
    d = pairwise(cands)
    return {'lr_l1': [round(float(v), 5) for v in cons], 'best_lr_l1': float(cons.min()), 'mean_lr_l1': float(cons.mean()),
            'mean_pairwise': mean_off_diagonal(d), 'distinct': distinct(d, threshold),
            'pairwise': [round(float(v), 5) for i in range(len(d)) for v in d[i, i + 1:]]}
