"""The teacher landmark cache (`npm run cache:landmarks`, scripts/cache-landmarks.ts):
.cache/landmarks/faces-{split}.f32 (little-endian float32 [N,68,2], x,y in 128x128 pixels)
with faces-{split}.json (count, order, sigma_px, teacher, ...). Read by the heatmap student's
training (targets) and by the progressive-SR training (attention map M*)."""
import json
import os

import numpy as np

N_LANDMARKS = 68


def read_cache(cache_dir, split):
    """-> (points float32 [N,68,2] in 128 px coordinates, meta) as the cache stores them."""
    with open(os.path.join(cache_dir, f'faces-{split}.json')) as f:
        meta = json.load(f)
    pts = np.fromfile(os.path.join(cache_dir, f'faces-{split}.f32'), dtype='<f4')
    return pts.reshape(-1, N_LANDMARKS, 2), meta


def read_prefix_cache(cache_dir, split):
    """A cache whose rows are split indices 0..N-1 (what the heatmap student trains on)."""
    pts, meta = read_cache(cache_dir, split)
    if len(pts) != meta['count'] or meta['order']['by'] != 'split index' or meta['order']['first'] != 0:
        raise ValueError(f'{cache_dir}/faces-{split}: unexpected size or order {meta["order"]}')
    return pts, meta


def load_landmarks(split, landmark_dir):
    """-> (points float32 [N,68,2] in 128 px coordinates, split indices [N], sigma_px, meta) for
    any order the cache records (a prefix, a subset list, or none: rows 0..N-1)."""
    pts, meta = read_cache(landmark_dir, split)
    order = meta.get('order', meta.get('indices'))
    if isinstance(order, dict):  # {"first": 0, "count": N, "subset": null | [indices]} (heatmaps cache)
        sub = order.get('subset') or order.get('indices')
        first = order.get('first', order.get('start', 0))
        order = sub if isinstance(sub, list) else list(range(first, first + order.get('count', len(pts))))
    if order is None:
        order = list(range(len(pts)))
    if len(order) != len(pts):
        raise ValueError(f'landmark cache: {len(pts)} point sets but {len(order)} indices')
    return pts, np.asarray(order, dtype=np.int64), float(meta.get('sigma_px', 2.0)), meta
