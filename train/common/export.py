"""What every exporter shares: the weights format the browser loads (src/models/weights.ts) and
the files around it.

model.json is tfjs's weights manifest (`tf.io.decodeWeights` reads the float16 quantisation)
plus "integrity" (bytes + sha256 per shard, checked before decoding) and "modelConfig":

  {"format": "srlab-weights", "name": ..., "generatedBy": ..., "modelConfig": {...},
   "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [{name, shape, dtype, quantization}]}],
   "integrity": {"group1-shard1of1.bin": {"bytes": ..., "sha256": ...}}}

"integrity" covers the shards' bytes, not which tensor name reads which bytes: card.json's
"weights_manifest_sha256" does (manifest_sha256 below; the browser refuses weights whose
manifest hashes otherwise, src/models/load.ts). write_json stamps it into every card.json it
writes next to a model.json.

Also here: reading an export back (integrity-checked), a run's checkpoint + run.json, the
float16 round-trip check, card.json and parity-fixture writing.
"""
import datetime
import hashlib
import json
import math
import os
import re
import struct

import numpy as np
import torch

SHARD_BYTES = 4 * 1024 * 1024


def sha256(data):
    return hashlib.sha256(data).hexdigest()


MANIFEST_TEXT_HEADER = 'srlab-weights-manifest 1'
MANIFEST_HASH_FIELD = 'weights_manifest_sha256'


def _manifest_value(ok, what, value):
    if not ok:
        raise ValueError(f'weightsManifest: {what} {value!r} cannot be hashed')


def _text(v, what):
    ok = isinstance(v, str) and v != '' and not re.search(r'[\x00-\x1f\x7f\ud800-\udfff]', v)
    _manifest_value(ok, what, v)  # (json.load joins surrogate pairs: any left is a lone one)
    return v


def _token(v, what):
    _manifest_value(isinstance(v, str) and re.fullmatch(r'[A-Za-z0-9_]+', v) is not None, what, v)
    return v


def _count(v, what):
    ok = (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and float(v).is_integer()
          and 0 <= v <= 2 ** 53 - 1)
    _manifest_value(ok, what, v)
    return str(int(v))


def _float64_hex(v, what):
    _manifest_value(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v), what, v)
    return struct.pack('>d', float(v) if v != 0 else 0.0).hex()


def _quant(q, name):
    if q is None:
        return '-'
    _manifest_value(isinstance(q, dict), f'quantization of {name}', q)
    out = _token(q.get('dtype'), f'quantization dtype of {name}')
    if 'scale' in q:
        out += ',scale=' + _float64_hex(q['scale'], f'quantization scale of {name}')
    if 'min' in q:
        out += ',min=' + _float64_hex(q['min'], f'quantization min of {name}')
    return out


def manifest_text(model_json):
    """The canonical text of model.json's weightsManifest and its shards' integrity records, as
    src/models/manifestHash.ts writes it (see there for the format): one line per item, names and
    paths last on their line, numbers as decimal integers or float64 bits in hex."""
    lines = [MANIFEST_TEXT_HEADER]
    groups = model_json.get('weightsManifest')
    _manifest_value(isinstance(groups, list), 'weightsManifest', groups)
    integrity = model_json.get('integrity') or {}
    for g in groups:
        _manifest_value(isinstance(g, dict) and isinstance(g.get('paths'), list) and isinstance(g.get('weights'), list),
                        'group', g)
        lines.append('group')
        for p in g['paths']:
            path = _text(p, 'shard path')
            rec = integrity.get(path) if isinstance(integrity, dict) else None
            _manifest_value(isinstance(rec, dict) and isinstance(rec.get('sha256'), str)
                            and re.fullmatch(r'[0-9a-fA-F]{64}', rec['sha256']) is not None,
                            f'integrity record of {path}', rec)
            lines.append(f"shard {_count(rec.get('bytes'), f'byte count of {path}')} {rec['sha256'].lower()} {path}")
        for spec in g['weights']:
            _manifest_value(isinstance(spec, dict), 'weight', spec)
            name = _text(spec.get('name'), 'tensor name')
            _manifest_value(isinstance(spec.get('shape'), list), f'shape of {name}', spec.get('shape'))
            shape = 'x'.join(_count(d, f'shape of {name}') for d in spec['shape']) or '-'
            lines.append(f"weight {_token(spec.get('dtype'), f'dtype of {name}')} {shape} "
                         f"{_quant(spec.get('quantization'), name)} {name}")
    return ''.join(line + '\n' for line in lines)


def manifest_sha256(model_json):
    """card.json's weights_manifest_sha256: sha256 of manifest_text."""
    return sha256(manifest_text(model_json).encode('utf-8'))


def model_json_manifest_sha256(model_dir):
    with open(os.path.join(model_dir, 'model.json')) as f:
        return manifest_sha256(json.load(f))


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
    """card.json and friends: indented, UTF-8 text kept as is. A card.json written next to a
    model.json gets that model.json's weights_manifest_sha256 (its value replaced if present,
    else added last): every exporter, and every tool that rewrites a card, keeps it bound."""
    model_json = os.path.join(os.path.dirname(path) or '.', 'model.json')
    if os.path.basename(path) == 'card.json' and isinstance(obj, dict) and os.path.exists(model_json):
        obj = {**obj, MANIFEST_HASH_FIELD: model_json_manifest_sha256(os.path.dirname(path) or '.')}
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


def write_parity_fixtures(weight_dirs, out_dir, make):
    """For every exported folder of weight_dirs that holds a model.json (others are skipped with a line):
    make(folder) -> (name, fixture), written to <out_dir>/<name>-parity.json."""
    for d in weight_dirs:
        if not os.path.isfile(os.path.join(d, 'model.json')):
            print(f'skipped {d}: no model.json')
            continue
        name, fx = make(d)
        p = os.path.join(out_dir, f'{name}-parity.json')
        print(f'wrote {p} ({write_fixture(p, fx) / 1024:.1f} KB)')


def image_stats(img):
    """Per-image mean/std/min/max of an NHWC array, fixture-rounded."""
    return [{'mean': r6([im.mean()])[0], 'std': r6([im.std()])[0], 'min': r6([im.min()])[0], 'max': r6([im.max()])[0]}
            for im in img]
