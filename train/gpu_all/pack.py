"""What a slice brings back (pack: its new files, gzipped, in parts that fit the device's limits) and
merging it into the work directory here (unpack)."""

import glob
import io
import os
import shutil
import tarfile

from train.gpu_all.steps import MIB


def pack(chain, out, since):
    """state.json, log.txt and pack.tgz.NNN (this slice's new files, at most --out-mb) into out."""
    rank = lambda rel: (2 if rel.endswith('checkpoint.pt') else 1 if rel.endswith('.npy') else 0)  # noqa: E731
    files = []
    for d, _, names in os.walk(chain.work):
        for n in names:
            full = os.path.join(d, n)
            rel = os.path.relpath(full, chain.work)
            if rel in ('state.json', 'log.txt') or rel.startswith('logs' + os.sep) or n.endswith('.tmp'):
                continue
            if os.path.getmtime(full) >= since - 1:
                files.append((rank(rel), os.path.getsize(full), rel))
    files.sort()
    budget, chosen, left = chain.a.out_mb * MIB - 64 * 1024, [], []
    for _, size, rel in files:
        (chosen if size <= budget else left).append(rel)
        budget -= size if size <= budget else 0
    chain.state['left_behind'] = left
    if left:
        chain.log(f'[gpu_all] WARNING: {len(left)} file(s) do not fit the {chain.a.out_mb} MiB that comes back and '
                 f'stay on this machine: {left}')
    chain.save_state()
    os.makedirs(out, exist_ok=True)
    for old in glob.glob(os.path.join(out, 'pack.tgz.*')):
        os.remove(old)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w:gz', compresslevel=6) as tf:
        for rel in ['state.json', 'log.txt'] + chosen:
            tf.add(os.path.join(chain.work, rel), arcname=rel)
    data, part = buf.getvalue(), chain.a.part_mb * MIB
    parts = [data[i:i + part] for i in range(0, len(data), part)] or [b'']
    for k, chunk in enumerate(parts):
        with open(os.path.join(out, f'pack.tgz.{k:03d}'), 'wb') as f:
            f.write(chunk)
    shutil.copyfile(chain.state_path, os.path.join(out, 'state.json'))
    chain.log_file.flush()
    shutil.copyfile(chain.path('log.txt'), os.path.join(out, 'log.txt'))
    chain.log(f'[gpu_all] packed {len(chosen)} file(s), {len(data) / MIB:.1f} MiB gzipped, into {len(parts)} '
             f'part(s) of <= {chain.a.part_mb} MiB in {out}')


def unpack(chain, src):
    parts = sorted(glob.glob(os.path.join(src, 'pack.tgz.*')))
    if not parts:
        raise SystemExit(f'no pack.tgz.* in {src}')
    data = b''
    for p in parts:
        with open(p, 'rb') as f:
            data += f.read()
    os.makedirs(chain.work, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode='r:gz') as tf:
        for m in tf.getmembers():
            if not m.isfile() or os.path.isabs(m.name) or '..' in m.name.split('/'):
                raise SystemExit(f'refusing pack member {m.name!r}')
        for m in tf.getmembers():
            dst = os.path.join(chain.work, m.name)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if m.name == 'log.txt' and os.path.exists(dst):  # the device's log of this slice, after the earlier ones
                with tf.extractfile(m) as f_in, open(dst, 'ab') as f_out:
                    shutil.copyfileobj(f_in, f_out)
                continue
            with tf.extractfile(m) as f_in, open(dst + '.tmp', 'wb') as f_out:
                shutil.copyfileobj(f_in, f_out)
            os.replace(dst + '.tmp', dst)
    chain.state = chain.load_state()
    print(f'unpacked {len(parts)} part(s) into {chain.work}')
