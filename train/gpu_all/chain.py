"""One chain of training runs in a work directory: its state, a slice of training and exporting."""

import glob
import json
import os
import signal
import subprocess
import sys
import threading
import time

from train.common import dist
from train.common.data import find_file, resolve_data_dir
from train.common.export import utc_now
from train.common.paths import REPO_ROOT, RUNS_DIR
from train.gpu_all.pack import pack
from train.gpu_all.steps import BY_NAME, DATA, EVAL_FACES, FACE_NET_DIR, FACE_NET_FILES, INIT_FROM, STAGE_SAMPLES, STEPS


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
            if pat == 'face-net':
                for f in FACE_NET_FILES:
                    out[os.path.join(FACE_NET_DIR, f)] = os.path.join(REPO_ROOT, FACE_NET_DIR, f)
                continue
            for f in sorted(glob.glob(os.path.join(root, pat))) or [os.path.join(root, pat)]:
                out[os.path.join('.data', os.path.relpath(f, root))] = f
        return out

    def inputs(self, step):
        """{path to carry: local path} of the work-directory parts a step reads (its run directory,
        the exports it needs), besides its data files."""
        names = {step.name, *(['progressive-sr', 'progressive-sr-noatt'] if step.name == 'progressive-sr-export' else []),
                 *([INIT_FROM[step.name]] if step.name in INIT_FROM else [])}
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
        lost += [n for n in step.needs if (not BY_NAME[n].exports or INIT_FROM.get(step.name) == n)
                 and not os.path.isfile(self.path('runs', n, 'checkpoint.pt'))]
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
        elif step.name.startswith('joint-sr'):
            args += ['--landmark-dir', a.landmarks]
        elif step.name in INIT_FROM:
            args += ['--init', self.path('runs', INIT_FROM[step.name])]
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
        elif step.name in ('srresnet-mse', 'srresnet-content', 'srgan'):
            from train.srgan.card import test_quality
            from train.srgan.export import export, load_models
            from train.srgan.parity import main as parity
            export(run, w(step.name), metrics=test_quality(load_models(run)[1], EVAL_FACES[self.a.config], self.a.data_dir))
            parity(['--weights', w(step.name), '--out-dir', fx] + (['--data-dir', self.a.data_dir] if self.a.data_dir else []))
        elif step.name.startswith('joint-sr'):
            from train.joint_sr.export import export
            from train.joint_sr.parity import main as parity
            export(run, w(step.name), test_faces=EVAL_FACES[self.a.config], data_dir=self.a.data_dir)
            parity(['--weights', w(step.name), '--out-dir', fx, '--landmark-dir', self.a.landmarks]
                   + (['--data-dir', self.a.data_dir] if self.a.data_dir else []))

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
            pack(self, a.out, t0)
        else:
            self.save_state()
        self.log_file.close()
        return ok
