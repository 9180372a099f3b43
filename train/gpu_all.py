"""Train and export every model's config in turn, in time slices that resume each other.

  python3 -m train.gpu_all --config full --slice-minutes 9 --out $OUT     # one slice (device machine)
  python3 -m train.gpu_all status                                         # where the chain stands
  python3 -m train.gpu_all plan [--stage .data]     # what the next slice needs carried (and stage its data)
  python3 -m train.gpu_all unpack --from DIR        # merge a slice's packed output into the work dir
  python3 -m train.gpu_all install [--to static/weights --fixtures test/fixtures]  # a person's decision

The chain, in dependency order (`STEPS`): ProGAN; the heatmap student; the High-to-Low degrader;
the Low-to-High twins (LR from the degrader just exported / bicubic) and the degradation sample
sheets; the progressive-SR twins (F_d = the student just exported), their evaluation and export.
Each step trains through its own train/<model>/train.py (a subprocess; under torchrun with
--nproc N > 1) with --resume when its run directory holds a checkpoint and --max-minutes set to
what is left of the slice, and is exported as soon as its schedule is finished. A slice ends
when its time is spent (or the chain is done); progress is in <work>/state.json.

Work directory (default train/runs/gpu-<config>, git-ignored): state.json, log.txt, runs/<step>/
(checkpoints, run.json, filmstrips, stage samples), weights/<model>/ (exports: model.json,
shards, card.json, ...), fixtures/ (parity fixtures; never test/fixtures), metrics/.

--out DIR receives what a device call can bring back: state.json, log.txt and pack.tgz.NNN, one
gzipped tar of every work-directory file this slice wrote, split into parts of --part-mb (at
most --out-mb in all; files that do not fit, largest and least needed last, stay behind and are
listed in state.json 'left_behind'). `unpack` joins the parts into the work directory here.
"""
import argparse
import glob
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time

from train.common import dist
from train.common.data import find_file, resolve_data_dir
from train.common.export import utc_now
from train.common.paths import FIXTURES_DIR, LANDMARK_DIR, REPO_ROOT, RUNS_DIR, WEIGHTS_DIR

MIB = 1 << 20
# per config: FID-proxy stage dumps (ProGAN) and test faces of the progressive-SR evaluation
STAGE_SAMPLES = {'tiny': 16, 'cpu': 1000, 'full': 1000}
EVAL_FACES = {'tiny': 8, 'cpu': 500, 'full': 500}
# what a step reads besides the repository (paths under the data dir; 'landmarks' = the teacher cache)
FACES64 = ['faces/faces64-train.zip']
DATA = {
    'progan': FACES64,
    'heatmaps': FACES64 + ['faces/faces64-test.zip', 'landmarks'],
    'degrader': FACES64 + ['lr-faces/manifest.json', 'lr-faces/real-lr16.tar'],
    'low2high': FACES64, 'low2high-bicubic': FACES64,
    'progressive-sr': ['faces/manifest.json', 'faces/faces128-train-*.tar', 'landmarks'],
    'progressive-sr-noatt': ['faces/manifest.json', 'faces/faces128-train-*.tar', 'landmarks'],
    'progressive-sr-export': ['faces/manifest.json', 'faces/faces128-test-000.tar'],
}


class Step:
    """One link of the chain: a training run (module + options) and/or an export."""

    def __init__(self, name, module=None, args=(), needs=(), exports=()):
        self.name, self.module, self.args, self.needs, self.exports = name, module, list(args), list(needs), list(exports)


STEPS = [
    Step('progan', 'train.progan.train', exports=['progan']),
    Step('heatmaps', 'train.heatmaps.train', exports=['heatmaps']),
    Step('degrader', 'train.degrader.train', exports=['degrader']),
    Step('low2high', 'train.low2high.train', needs=['degrader'], exports=['low2high']),
    Step('low2high-bicubic', 'train.low2high.train', ['--lr-source', 'bicubic'], exports=['low2high-bicubic']),
    Step('progressive-sr', 'train.progressive_sr.train', needs=['heatmaps']),
    Step('progressive-sr-noatt', 'train.progressive_sr.train', ['--no-attention'], needs=['heatmaps']),
    Step('progressive-sr-export', needs=['progressive-sr', 'progressive-sr-noatt'],
         exports=['progressive-sr', 'progressive-sr-noatt']),
]
BY_NAME = {s.name: s for s in STEPS}


class Chain:
    def __init__(self, a):
        self.a = a
        self.work = os.path.abspath(a.work or os.path.join(RUNS_DIR, f'gpu-{a.config}'))
        self.state_path = os.path.join(self.work, 'state.json')
        self.state = self.load_state()
        self.log_file = None

    # --- state --------------------------------------------------------------------------
    def load_state(self):
        if os.path.exists(self.state_path):
            with open(self.state_path) as f:
                s = json.load(f)
            if s['config'] != self.a.config:
                raise SystemExit(f"{self.work} holds a {s['config']} chain, not {self.a.config}: pick another --work")
            return s
        return {'config': self.a.config, 'slices': [], 'steps': {s.name: {'status': 'pending'} for s in STEPS},
                'done': False}

    def save_state(self):
        os.makedirs(self.work, exist_ok=True)
        tmp = self.state_path + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.state, f, indent=1)
        os.replace(tmp, self.state_path)

    def status(self, name):
        return self.state['steps'][name]['status']

    def selected(self):
        only = set(self.a.only.split(',')) if self.a.only else None
        return [s for s in STEPS if only is None or s.name in only]

    def next_steps(self):
        return [s for s in self.selected() if self.status(s.name) != 'done']

    def path(self, *p):
        return os.path.join(self.work, *p)

    def data_files(self, step):
        """{path to carry (relative to the repository): local path} of the data a step reads."""
        root, out = resolve_data_dir(self.a.data_dir), {}
        for pat in DATA.get(step.name, []):
            if pat == 'landmarks':  # the teacher cache (.cache/landmarks is git-ignored: carry it by name)
                out[os.path.relpath(self.a.landmarks, REPO_ROOT)] = self.a.landmarks
                continue
            for f in sorted(glob.glob(os.path.join(root, pat))) or [os.path.join(root, pat)]:
                out[os.path.join('.data', os.path.relpath(f, root))] = f
        return out

    def inputs(self, step):
        """{path to carry: local path} of the work-directory parts a step reads (its run directory,
        the exports it needs), besides its data files."""
        names = {step.name, *(['progressive-sr', 'progressive-sr-noatt'] if step.name == 'progressive-sr-export' else [])}
        out = {self.path('runs', n): self.path('runs', n) for n in names if os.path.isdir(self.path('runs', n))}
        deps = step.needs + (['progan', 'degrader', 'low2high'] if step.name == 'low2high-bicubic' else [])  # sample sheets
        for dep in deps:
            for e in BY_NAME[dep].exports:
                out[self.path('weights', e)] = self.path('weights', e)
        return {os.path.relpath(k, REPO_ROOT): v for k, v in out.items()}

    def missing(self, step):
        """Why a step cannot run here now (None when it can): unfinished dependencies, or inputs not carried."""
        waits = [n for n in step.needs if self.status(n) != 'done']
        if waits:
            return f'waits for {waits}'
        lost = [n for n in step.needs if BY_NAME[n].exports and not all(
            os.path.isfile(self.path('weights', e, 'model.json')) for e in BY_NAME[n].exports)]
        lost += [n for n in step.needs if not BY_NAME[n].exports and not os.path.isfile(self.path('runs', n, 'checkpoint.pt'))]
        if lost:
            return f'the outputs of {lost} are not in {self.work} (not carried?)'
        absent = [k for k, v in self.data_files(step).items()
                  if not (os.path.isfile(os.path.join(v, 'faces-train.json')) if k.endswith('landmarks') or os.path.isdir(v)
                          else os.path.isfile(v))]
        if absent:
            return f'its data is not here: {absent}'
        return None

    # --- logging --------------------------------------------------------------------------
    def log(self, line):
        line = line.rstrip('\n')
        print(line, flush=True)
        if self.log_file:
            self.log_file.write(line + '\n')
            self.log_file.flush()

    def run_logged(self, cmd, timeout_s):
        """Run cmd (its own process group), relaying its output; past timeout_s it gets SIGTERM
        (the training loop checkpoints and stops), 60 s later SIGKILL. -> exit status."""
        self.log('$ ' + ' '.join(os.path.relpath(c, REPO_ROOT) if c.startswith(REPO_ROOT + os.sep) else c for c in cmd))
        p = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env={**os.environ, 'PYTHONUNBUFFERED': '1'}, start_new_session=True)
        relay = threading.Thread(target=lambda: [self.log(line) for line in p.stdout], daemon=True)
        relay.start()
        try:
            rc = p.wait(timeout=max(1.0, timeout_s))
        except subprocess.TimeoutExpired:
            self.log(f'[gpu_all] {timeout_s:.0f} s passed: SIGTERM (checkpoint and stop)')
            os.killpg(p.pid, signal.SIGTERM)
            try:
                rc = p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                rc = p.wait()
        relay.join(timeout=10)
        return rc

    # --- one step ---------------------------------------------------------------------------
    def data_dir(self):
        return resolve_data_dir(self.a.data_dir)

    def train_args(self, step):
        a, cfg = self.a, self.a.config
        out = self.path('runs', step.name)
        args = ['--config', cfg, '--out', out, '--device', a.device, '--threads', str(a.threads),
                '--log-every', str(a.log_every)] + step.args
        if a.data_dir:
            args += ['--data-dir', a.data_dir]
        if step.name == 'progan':
            args += ['--stage-samples', str(STAGE_SAMPLES[cfg] if a.stage_samples is None else a.stage_samples)]
        elif step.name == 'heatmaps':
            args += ['--cache', a.landmarks, '--faces', os.path.dirname(find_file(self.data_dir(), 'faces64-train.zip'))]
        elif step.name == 'low2high':
            args += ['--degrader', self.path('weights', 'degrader')]
        elif step.name.startswith('progressive-sr'):
            args += ['--landmark-dir', a.landmarks, '--heatmap-net', self.path('weights', 'heatmaps')]
        if os.path.exists(os.path.join(out, 'checkpoint.pt')):
            args.append('--resume')
        return args

    def train(self, step, minutes, timeout_s):
        cmd = [sys.executable, '-m', step.module]
        if self.a.nproc > 1:
            cmd = dist.torchrun_command(self.a.nproc, self.path('logs')) + ['-m', step.module]
        t = time.time()
        rc = self.run_logged(cmd + self.train_args(step) + ['--max-minutes', f'{minutes:.3f}'], timeout_s)
        run_json = self.path('runs', step.name, 'run.json')
        run = {}
        if os.path.exists(run_json) and os.path.getmtime(run_json) >= t - 1:  # written by this run
            with open(run_json) as f:
                run = json.load(f)
        st = self.state['steps'][step.name]
        st.update(slices=st.get('slices', 0) + 1, seconds=round(st.get('seconds', 0) + time.time() - t, 1),
                  run_wall_seconds=run.get('wall_seconds'), finished=bool(run.get('finished')))
        # trainers exit 3 when stopped unfinished; torchrun reports that as a failure of its own
        if not run or (rc not in (0, 3) and self.a.nproc == 1):
            st['status'], st['error'] = 'failed', f'exit status {rc}'
            return False
        st['status'] = 'trained' if run.get('finished') else 'training'
        st.pop('error', None)
        return True

    def export(self, step):
        """Export a finished step into <work>/weights (fixtures into <work>/fixtures)."""
        w, fx = lambda n: self.path('weights', n), self.path('fixtures')  # noqa: E731
        os.makedirs(fx, exist_ok=True)
        run = self.path('runs', step.name)
        if step.name == 'progan':
            from train.progan.export import export
            export(run, w('progan'))
        elif step.name == 'heatmaps':
            from train.heatmaps.export import export
            export(run, w('heatmaps'), os.path.join(fx, 'heatmaps-parity.json'))
        elif step.name == 'degrader':
            from train.degrader.export import export
            export(run, w('degrader'))
        elif step.name.startswith('low2high'):
            from train.low2high.export import export
            export(run, w(step.name))
            if step.name == 'low2high-bicubic' and all(os.path.isdir(w(n)) for n in ('progan', 'degrader', 'low2high')):
                from train.degradation.samples import main as samples  # sample sheets + card fields
                samples(self.path('weights'))
        elif step.name == 'progressive-sr-export':
            from train.progressive_sr.eval import evaluate
            from train.progressive_sr.export import export
            runs = [self.path('runs', n) for n in ('progressive-sr', 'progressive-sr-noatt')]
            m = evaluate(runs, n=EVAL_FACES[self.a.config], data_dir=self.a.data_dir)
            os.makedirs(self.path('metrics'), exist_ok=True)
            metrics = self.path('metrics', 'progressive-sr-metrics.json')
            with open(metrics, 'w') as f:
                json.dump(m, f, indent=1)
            for r in runs:
                export(r, w(os.path.basename(r)), metrics, fx, self.a.data_dir)

    # --- a slice -------------------------------------------------------------------------------
    def slice(self):
        a = self.a
        t0 = time.time()
        deadline = t0 + a.slice_minutes * 60
        os.makedirs(self.work, exist_ok=True)
        self.log_file = open(self.path('log.txt'), 'a')
        entry = {'slice': len(self.state['slices']) + 1, 'started': utc_now(), 'ran': []}
        self.state['slices'].append(entry)
        self.log(f"[gpu_all] {a.config} chain, slice {entry['slice']}: {a.slice_minutes:g} min, work {self.work}")
        ok = True
        for step in self.selected():
            if self.status(step.name) == 'done':
                continue
            why = self.missing(step)
            if why:
                self.log(f'[gpu_all] {step.name} {why}; slice over')
                break
            if step.module and self.status(step.name) != 'trained':
                left = (deadline - time.time()) / 60 - a.reserve_minutes
                if left < a.min_minutes:
                    self.log(f'[gpu_all] {left:.2f} min left in this slice: too little to start {step.name}')
                    break
                minutes = left if a.run_minutes is None else min(left, a.run_minutes)
                self.log(f'[gpu_all] {step.name}: train for up to {minutes:.2f} min')
                t = time.time()
                ok = self.train(step, minutes, deadline - time.time() - 15)
                entry['ran'].append({'step': step.name, 'seconds': round(time.time() - t, 1),
                                     'status': self.status(step.name)})
                self.save_state()
                if not ok or self.status(step.name) != 'trained':
                    break
            try:
                t = time.time()
                self.export(step)
                self.state['steps'][step.name]['status'] = 'done'
                entry['ran'].append({'step': step.name, 'export_seconds': round(time.time() - t, 1)})
            except Exception as e:  # keep the slice's output: the state says what failed
                self.state['steps'][step.name].update(status='failed', error=f'export: {e!r}')
                self.log(f'[gpu_all] export of {step.name} failed: {e!r}')
                ok = False
                break
            self.save_state()
        self.state['done'] = all(self.status(s.name) == 'done' for s in STEPS)
        entry['seconds'] = round(time.time() - t0, 1)
        nxt = self.next_steps()
        self.log(f"[gpu_all] slice {entry['slice']} over after {entry['seconds'] / 60:.1f} min; "
                 + ('chain done' if self.state['done'] else f'next: {nxt[0].name}' if nxt else 'the --only steps are done'))
        if a.out:
            self.pack(a.out, t0)
        else:
            self.save_state()
        self.log_file.close()
        return ok

    # --- packing what a slice wrote -------------------------------------------------------------
    def pack(self, out, since):
        """state.json, log.txt and pack.tgz.NNN (this slice's new files, at most --out-mb) into out."""
        rank = lambda rel: (2 if rel.endswith('checkpoint.pt') else 1 if rel.endswith('.npy') else 0)  # noqa: E731
        files = []
        for d, _, names in os.walk(self.work):
            for n in names:
                full = os.path.join(d, n)
                rel = os.path.relpath(full, self.work)
                if rel in ('state.json', 'log.txt') or rel.startswith('logs' + os.sep) or n.endswith('.tmp'):
                    continue
                if os.path.getmtime(full) >= since - 1:
                    files.append((rank(rel), os.path.getsize(full), rel))
        files.sort()
        budget, chosen, left = self.a.out_mb * MIB - 64 * 1024, [], []
        for _, size, rel in files:
            (chosen if size <= budget else left).append(rel)
            budget -= size if size <= budget else 0
        self.state['left_behind'] = left
        if left:
            self.log(f'[gpu_all] WARNING: {len(left)} file(s) do not fit the {self.a.out_mb} MiB that comes back and '
                     f'stay on this machine: {left}')
        self.save_state()
        os.makedirs(out, exist_ok=True)
        for old in glob.glob(os.path.join(out, 'pack.tgz.*')):
            os.remove(old)
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode='w:gz', compresslevel=6) as tf:
            for rel in ['state.json', 'log.txt'] + chosen:
                tf.add(os.path.join(self.work, rel), arcname=rel)
        data, part = buf.getvalue(), self.a.part_mb * MIB
        parts = [data[i:i + part] for i in range(0, len(data), part)] or [b'']
        for k, chunk in enumerate(parts):
            with open(os.path.join(out, f'pack.tgz.{k:03d}'), 'wb') as f:
                f.write(chunk)
        shutil.copyfile(self.state_path, os.path.join(out, 'state.json'))
        self.log_file.flush()
        shutil.copyfile(self.path('log.txt'), os.path.join(out, 'log.txt'))
        self.log(f'[gpu_all] packed {len(chosen)} file(s), {len(data) / MIB:.1f} MiB gzipped, into {len(parts)} '
                 f'part(s) of <= {self.a.part_mb} MiB in {out}')


# --- here, between slices ---------------------------------------------------------------------------
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
    show(chain)


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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    elif a.action == 'install':
        return install(chain, a.to, a.fixtures)
    else:
        return chain.slice()


if __name__ == '__main__':
    r = main()
    sys.exit(0 if r is not False else 1)
