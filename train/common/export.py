"""What every exporter shares: the weights format the browser loads (src/models/weights.ts) and
the files around it.

model.json is tfjs's weights manifest (`tf.io.decodeWeights` reads the float16 quantisation)
plus "integrity" (bytes + sha256 per shard, checked before decoding) and "modelConfig":

  {"format": "srlab-weights", "name": ..., "generatedBy": ..., "modelConfig": {...},
   "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [{name, shape, dtype, quantization}]}],
   "integrity": {"group1-shard1of1.bin": {"bytes": ..., "sha256": ...}}}

Also here: reading an export back (integrity-checked), a run's checkpoint + run.json, the
float16 round-trip check, card.json and parity-fixture writing.
"""
import datetime
import hashlib
import json
import os

import numpy as np
import torch

SHARD_BYTES = 4 * 1024 * 1024


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def clear_shards(out_dir):
    """Stale shards from a bigger export must not linger."""
    for old in os.listdir(out_dir):
        if old.startswith('group1-shard') and old.endswith('.bin'):
            os.remove(os.path.join(out_dir, old))


def write_manifest(arrays, out_dir, model_config, name, generated_by):
    """float16 bytes in manifest order, cut into <= SHARD_BYTES shards (a weight may span shards)
    -> (model.json dict, total bytes)."""
    specs, blob = [], bytearray()
    for k, a in arrays.items():
        if np.abs(a).max(initial=0) > 65504:
            raise OverflowError(f'{k} does not fit float16')
        blob += a.astype(np.float16).tobytes()  # round-to-nearest-even, as tfjs decodes it
        specs.append({'name': k, 'shape': list(a.shape), 'dtype': 'float32',
                      'quantization': {'dtype': 'float16', 'original_dtype': 'float32'}})
    n = max(1, -(-len(blob) // SHARD_BYTES))
    paths, integrity = [], {}
    for i in range(n):
        p = f'group1-shard{i + 1}of{n}.bin'
        part = bytes(blob[i * SHARD_BYTES:(i + 1) * SHARD_BYTES])
        with open(os.path.join(out_dir, p), 'wb') as f:
            f.write(part)
        paths.append(p)
        integrity[p] = {'bytes': len(part), 'sha256': sha256(part)}
    model = {'format': 'srlab-weights', 'name': name, 'generatedBy': generated_by,
             'modelConfig': model_config, 'weightsManifest': [{'paths': paths, 'weights': specs}],
             'integrity': integrity}
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(model, f, indent=1)
    return model, len(blob)


def read_exported(model_dir):
    """model.json + shards -> (model_json, {name: float32 array}); verifies bytes and sha256."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        mj = json.load(f)
    arrays = {}
    for group in mj['weightsManifest']:
        blobs = []
        for p in group['paths']:
            with open(os.path.join(model_dir, p), 'rb') as f:
                data = f.read()
            rec = mj['integrity'][p]
            if len(data) != rec['bytes'] or sha256(data) != rec['sha256']:
                raise ValueError(f'{p}: shard does not match model.json integrity record')
            blobs.append(data)
        buf, off = b''.join(blobs), 0
        for spec in group['weights']:
            n = int(np.prod(spec['shape'])) if spec['shape'] else 1
            q = spec.get('quantization', {}).get('dtype')
            dt, size = (np.float16, 2) if q == 'float16' else (np.float32, 4)
            arrays[spec['name']] = np.frombuffer(buf, dt, n, off).astype(np.float32).reshape(spec['shape'])
            off += n * size
    return mj, arrays


def export_weights(arrays, out_dir, model_config, name, generated_by):
    """Write model.json + shards into out_dir (created, stale shards removed) and read them back:
    -> (model.json dict, total bytes, {name: float32 array as the browser decodes it})."""
    os.makedirs(out_dir, exist_ok=True)
    clear_shards(out_dir)
    model, nbytes = write_manifest(arrays, out_dir, model_config, name, generated_by)
    return model, nbytes, read_exported(out_dir)[1]


def weights_sha(model_dir):
    """One digest for a whole exported weight set (sha256 over its shard sha256s, in order)."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        mj = json.load(f)
    return sha256(''.join(mj['integrity'][p]['sha256'] for g in mj['weightsManifest'] for p in g['paths']).encode())


def n_shards(model):
    return len(model['weightsManifest'][0]['paths'])


def load_run(run_dir):
    """-> (checkpoint.pt on the CPU, run.json) of a training run."""
    ck = torch.load(os.path.join(run_dir, 'checkpoint.pt'), map_location='cpu', weights_only=False)
    with open(os.path.join(run_dir, 'run.json')) as f:
        return ck, json.load(f)


def rel_err(got, ref):
    return float((got - ref).abs().max() / ref.abs().max())


def check_roundtrip(err, what='generator', limit=2e-2):
    """The float16 export must reproduce the module (err: max relative error over test inputs)."""
    if err > limit:
        raise RuntimeError(f'exported weights do not reproduce the {what} (rel err {err:.3g})')
    return err


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def weights_field(nbytes, shards):
    """card.json "weights"."""
    return {'dtype': 'float16', 'bytes': nbytes, 'shards': shards}


def write_json(path, obj):
    """card.json and friends: indented, UTF-8 text kept as is."""
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)


def r6(a):
    """Fixture values: 6 significant digits, flat."""
    return [float('%.6g' % v) for v in np.asarray(a, dtype=np.float64).ravel()]


def write_fixture(path, fx):
    """A parity fixture: compact JSON on one line."""
    text = json.dumps(fx, separators=(',', ':'))
    with open(path, 'w') as f:
        f.write(text + '\n')
    return len(text)


def image_stats(img):
    """Per-image mean/std/min/max of an NHWC array, fixture-rounded."""
    return [{'mean': r6([im.mean()])[0], 'std': r6([im.std()])[0], 'min': r6([im.min()])[0], 'max': r6([im.max()])[0]}
            for im in img]
