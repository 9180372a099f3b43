"""The command line: run a slice, status, plan (what to carry), unpack, install."""

import argparse
import json
import os
import shutil
import glob

from train.common.paths import FIXTURES_DIR, LANDMARK_DIR, REPO_ROOT, WEIGHTS_DIR
from train.gpu_all.chain import Chain
from train.gpu_all.pack import unpack
from train.gpu_all.steps import BY_NAME, MIB


def show(chain):
    s = chain.state
    for name, st in s['steps'].items():
        extra = {k: v for k, v in st.items() if k != 'status'}
        print(f"{name:24s} {st['status']:9s} {json.dumps(extra) if extra else ''}")
    print(f"slices: {len(s['slices'])}; " + ('chain done' if s['done'] else
                                            f"next: {chain.next_steps()[0].name if chain.next_steps() else '-'}"))
    if s.get('left_behind'):
        print(f"left on the device by the last slice (not brought back): {s['left_behind']}")


def plan(chain, stage=None):
    """What the next step needs carried beside the repository: data files and work-directory parts."""
    nxt = chain.next_steps()
    if not nxt:
        print('chain done: nothing to carry')
        return {}
    step = nxt[0]
    need = {**chain.data_files(step), **chain.inputs(step)}
    if os.path.exists(chain.state_path):
        need[os.path.relpath(chain.state_path, REPO_ROOT)] = chain.state_path

    def size(p):
        if os.path.isdir(p):
            return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
        return os.path.getsize(p) if os.path.exists(p) else 0
    total = sum(size(v) for v in need.values())
    print(f'next step: {step.name}' + (f' ({chain.missing(step)})' if chain.missing(step) else ''))
    for k, v in need.items():
        note = '' if os.path.exists(v) else '  (MISSING here)'
        note += '  (outside the repository: cannot be carried)' if k.startswith('..') else ''
        print(f'  {size(v) / MIB:8.1f} MiB  {k}{note}')
    print(f'  {total / MIB:8.1f} MiB  in all, beside the repository (a device call takes 64 MiB, repository included)')
    if stage:
        for k, src in need.items():
            if k.startswith('.data' + os.sep) and os.path.isfile(src):
                dst = os.path.join(stage, os.path.relpath(k, '.data'))
                if not (os.path.exists(dst) and os.path.getsize(dst) == os.path.getsize(src)):
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.copyfile(src, dst)
        print(f'staged its data files into {stage}')
    carry = sorted({'.data' if k.startswith('.data' + os.sep) else k for k in need})
    print('carry: ' + json.dumps(carry))
    return {'step': step.name, 'bytes': total, 'carry': carry}


def install(chain, to, fixtures):
    """Copy every exported model of the work directory into `to`, and its fixtures into `fixtures`."""
    done = []
    for name in sorted(os.listdir(chain.path('weights'))) if os.path.isdir(chain.path('weights')) else []:
        src, dst = chain.path('weights', name), os.path.join(to, name)
        if os.path.isdir(dst):
            shutil.rmtree(dst)
        shutil.copytree(src, dst)
        done.append(name)
    for f in sorted(glob.glob(chain.path('fixtures', '*.json'))):
        os.makedirs(fixtures, exist_ok=True)
        shutil.copyfile(f, os.path.join(fixtures, os.path.basename(f)))
    print(f'installed {done} into {to}; fixtures into {fixtures}')
    return done


def main(argv=None):
    import train.gpu_all as package  # its docstring is the usage
    ap = argparse.ArgumentParser(description=package.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('action', nargs='?', default='run', choices=['run', 'status', 'plan', 'unpack', 'install'])
    ap.add_argument('--config', default='full', choices=['tiny', 'cpu', 'full'])
    ap.add_argument('--work', default=None, help='work directory (default train/runs/gpu-<config>)')
    ap.add_argument('--out', default=None, help='run: where the slice\'s state, log and packs go (the device\'s $OUT)')
    ap.add_argument('--slice-minutes', type=float, default=9.0, help='wall time of this slice, start to pack')
    ap.add_argument('--reserve-minutes', type=float, default=1.0,
                    help='kept free for process start, data loading, the last step, export and packing')
    ap.add_argument('--min-minutes', type=float, default=0.2, help='do not start a training run with less left')
    ap.add_argument('--run-minutes', type=float, default=None, help='cap each training run at this (tests)')
    ap.add_argument('--only', default=None, help=f'comma-separated steps (default all): {",".join(BY_NAME)}')
    ap.add_argument('--nproc', type=int, default=1, help='processes per training run (torchrun; one per GPU)')
    ap.add_argument('--device', default='auto')
    ap.add_argument('--threads', type=int, default=None, help='torch CPU threads (default 1 on CPU, 8 with CUDA)')
    ap.add_argument('--data-dir', default=None, help='default: repo/.data if present, else ../shared/data')
    ap.add_argument('--landmarks', default=LANDMARK_DIR, help='teacher landmark cache (heatmaps, progressive SR)')
    ap.add_argument('--stage-samples', type=int, default=None, help='ProGAN FID-proxy dumps (default per config)')
    ap.add_argument('--log-every', type=float, default=30.0)
    ap.add_argument('--part-mb', type=int, default=15, help='pack part size, MiB (the device brings back <= 16 MiB a file)')
    ap.add_argument('--out-mb', type=int, default=60, help='packs in all, MiB (the device brings back <= 64 MiB)')
    ap.add_argument('--from', dest='src', default=None, help='unpack: the folder holding a slice\'s pack.tgz.*')
    ap.add_argument('--stage', default=None, help='plan: copy the next step\'s data files into this folder (.data)')
    ap.add_argument('--to', default=WEIGHTS_DIR, help='install: weights folder')
    ap.add_argument('--fixtures', default=FIXTURES_DIR, help='install: fixtures folder')
    a = ap.parse_args(argv)
    if a.threads is None:
        import torch
        a.threads = 8 if a.device != 'cpu' and torch.cuda.is_available() else 1
    chain = Chain(a)
    if a.action == 'status':
        show(chain)
    elif a.action == 'plan':
        return plan(chain, a.stage)
    elif a.action == 'unpack':
        unpack(chain, a.src or '.')
        show(chain)
    elif a.action == 'install':
        return install(chain, a.to, a.fixtures)
    else:
        return chain.slice()
