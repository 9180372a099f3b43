"""FID-proxy through the project's tool (train/degradation/claims.fid -> node scripts/fid-proxy.js)
with a result cache: a value is reused only when both sets' bytes, N, the seed and the tool's
sources are the same, so a re-run of the perception-distortion plane after one new model is
exported measures only that model (each call costs ~4 s per 100 images on this CPU)."""
import hashlib
import json
import os

from train.common.paths import REPO_ROOT
from train.degradation.claims import fid, summarise

TOOL_SOURCES = ('scripts/fid-proxy.ts', 'src/lib/eval/faceFeatures.ts', 'src/lib/eval/frechet.ts',
                'src/lib/eval/imageSets.ts')


def _sha_file(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


def tool_sha():
    h = hashlib.sha256()
    for rel in TOOL_SOURCES:
        p = os.path.join(REPO_ROOT, rel)
        h.update(rel.encode() + b'\0' + (_sha_file(p).encode() if os.path.exists(p) else b'-'))
    return h.hexdigest()


def fid_cached(a, b, n, seeds, cache_dir, fresh=False):
    """FID-proxy of .npy sets a vs b, a seeded subset of n of each per seed ->
    {'summary': {'mean', 'sd', 'per_seed'}, 'from_cache': every seed came from the cache}."""
    os.makedirs(cache_dir, exist_ok=True)
    base = f'{_sha_file(a)}:{_sha_file(b)}:{n}:{tool_sha()}'
    vals, hits = [], 0
    for s in seeds:
        key = hashlib.sha256(f'{base}:{s}'.encode()).hexdigest()[:32]
        path = os.path.join(cache_dir, f'{key}.json')
        if os.path.exists(path) and not fresh:
            with open(path) as f:
                vals.append(json.load(f)['value'])
            hits += 1
            continue
        tmp = path + '.tmp'
        vals.append(fid(a, b, s, tmp, n=n)['value'])
        os.replace(tmp, path)
    return {'summary': summarise(vals), 'from_cache': hits == len(seeds)}
