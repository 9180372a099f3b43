"""A synthetic teacher landmark cache for tests: CI has no face-api landmark cache (npm run cache:landmarks)."""
import json
import os

import numpy as np


def fake_cache(path, split, n):
    """A cache in the exact format scripts/cache-landmarks.ts writes, with made-up points."""
    os.makedirs(path, exist_ok=True)
    pts = np.random.default_rng(0).uniform(16, 112, (n, 68, 2)).astype('<f4')
    pts.tofile(os.path.join(path, f'faces-{split}.f32'))
    with open(os.path.join(path, f'faces-{split}.json'), 'w') as f:
        json.dump({'count': n, 'shape': [n, 68, 2], 'coords': 'x,y pixels in 128x128', 'sigma_px': 3,
                   'order': {'by': 'split index', 'first': 0, 'count': n, 'subset': 'synthetic'},
                   'teacher': 'synthetic (test)', 'created': 'test'}, f)


def fake_caches(path, train=16, test=8):
    """Synthetic train and test caches of the tiny config's sizes in path -> path."""
    fake_cache(path, 'train', train)
    fake_cache(path, 'test', test)
    return path
