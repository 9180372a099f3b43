"""Data-parallel training (train/common/dist.py): every trainer's tiny config under
`torchrun --nproc_per_node 2` on CPU (gloo) against the plain single process, same seed and
global batch (each process trains on half of it). ~40 s on 2 cores.

Tolerances (|2 processes - 1 process| <= atol + rtol * |1 process|, for every logged loss):
  * ProGAN, heatmap student (no batch norm): losses atol 1e-5, rtol 1e-4; parameters atol 1e-4.
  * degrader, low2high, progressive SR (batch norm in G, made global-batch by GlobalBatchNorm2d;
    progressive SR's minibatch stddev global too): losses atol 2e-3, rtol 1e-3 (seen: <= 6e-4).
    Summing a batch in two halves changes float rounding (~1e-7), and Adam's first steps
    (~lr * sign(g)) turn that into lr-sized moves of parameters whose gradient is ~0: biases
    feeding a batch norm (analytically zero gradient) and dead critic units. Those parameters are
    not compared; the losses are.
"""
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import torch

from train.common import dist
from train.common.paths import REPO_ROOT
from train.tests.landmark_cache import fake_caches

torch.set_num_threads(1)
QUIET = ['--log-every', '1000']
TOL = {'progan': (1e-5, 1e-4), 'heatmaps': (1e-5, 1e-4),
       'degrader': (2e-3, 1e-3), 'low2high': (2e-3, 1e-3), 'progressive-sr': (2e-3, 1e-3)}


class TwoProcesses(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='dist-test-')
        cache = fake_caches(os.path.join(cls.tmp, 'cache'))

        def runs(tag):
            o = lambda name: os.path.join(cls.tmp, tag, name)  # noqa: E731
            return [
                # 4 px stabilise, 8 px fade-in (alpha < 1: both toRGB/fromRGB pairs) and stabilise; batch 8
                ['train.progan.train', ['--config', 'tiny', '--stage-samples', '0', '--fade', '0,16,0,0,0',
                                        '--stab', '16,16,0,0,0', '--out', o('progan')] + QUIET],
                ['train.degrader.train', ['--config', 'tiny', '--out', o('degrader')] + QUIET],
                ['train.low2high.train', ['--config', 'tiny', '--out', o('low2high')] + QUIET],  # LR from static/weights/degrader (read)
                ['train.progressive_sr.train', ['--config', 'tiny', '--landmark-dir', cache, '--out', o('progressive-sr')] + QUIET],
                ['train.heatmaps.train', ['--config', 'tiny', '--cache', cache, '--out', o('heatmaps')] + QUIET],
            ]

        t = time.time()
        for module, argv in runs('one'):
            importlib.import_module(module).main(argv)
        cls.one_s = time.time() - t
        two = runs('two')
        # a 2-process checkpoint taken after one step, resumed below by a single process
        two.append(['train.degrader.train', ['--config', 'tiny', '--out', os.path.join(cls.tmp, 'two', 'deg-resumed'),
                                             '--max-minutes', '0'] + QUIET])
        spec = os.path.join(cls.tmp, 'two.json')
        with open(spec, 'w') as f:
            json.dump(two, f)
        t = time.time()
        cls.proc = subprocess.run(dist.torchrun_command(2, os.path.join(cls.tmp, 'logs')) + ['-m', 'train.tests.dist_runs', spec],
                                  cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
                                  env={**os.environ, 'PYTHONUNBUFFERED': '1'})
        cls.two_s = time.time() - t

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def load(self, tag, name):
        with open(os.path.join(self.tmp, tag, name, 'run.json')) as f:
            run = json.load(f)
        return run, torch.load(os.path.join(self.tmp, tag, name, 'checkpoint.pt'), weights_only=False)

    def assertClose(self, a, b, atol, rtol, what):
        self.assertLessEqual(abs(a - b), atol + rtol * abs(a), f'{what}: 1 process {a}, 2 processes {b}')

    def test_two_processes_match_one(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stdout[-3000:] + self.proc.stderr[-3000:])
        worst = {}
        for name, (atol, rtol) in TOL.items():
            (r1, c1), (r2, c2) = self.load('one', name), self.load('two', name)
            self.assertEqual((r1.get('processes'), r2.get('processes')), (1, 2), name)
            self.assertEqual(c1['step'] if 'step' in c1 else c1['it'], c2['step'] if 'step' in c2 else c2['it'])
            rows = [(r1.get('final_losses') or {'loss': r1['final_loss']}, r2.get('final_losses') or {'loss': r2['final_loss']})]
            rows += zip(r1.get('loss_history') or r1.get('history') or [], r2.get('loss_history') or r2.get('history') or [])
            if name == 'progan':  # losses logged at every filmstrip row (each phase end here)
                with open(os.path.join(self.tmp, 'one', name, 'filmstrip.json')) as f1, \
                        open(os.path.join(self.tmp, 'two', name, 'filmstrip.json')) as f2:
                    rows += [(a, b) for a, b in zip(json.load(f1), json.load(f2)) if a.get('g_loss') is not None]
                self.assertGreater(len(rows), 3)
            self.assertGreater(len(rows), 1, name)
            for a, b in rows:
                for k, v in a.items():
                    if isinstance(v, float) and k not in ('seconds', 'alpha', 'nme_test_subset'):
                        self.assertClose(v, b[k], atol, rtol, f'{name} {k}')
                        worst[name] = max(worst.get(name, 0.0), abs(v - b[k]))
            if name in ('progan', 'heatmaps'):
                for part in ('G', 'D', 'G_ema', 'model'):
                    for k, t in c1.get(part, {}).items():
                        self.assertLess(float((t.float() - c2[part][k].float()).abs().max()), 1e-4, f'{name} {part}.{k}')
        print(f'\n  1 process {self.one_s:.1f} s, 2 processes (torchrun) {self.two_s:.1f} s; largest |loss difference|: '
              + ', '.join(f'{k} {v:.1e}' for k, v in worst.items()), file=sys.stderr)

    def test_rank0_writes_and_a_checkpoint_resumes_under_another_process_count(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr[-3000:])
        out = os.path.join(self.tmp, 'two', 'deg-resumed')
        self.assertEqual(sorted(f for f in os.listdir(out)), ['checkpoint.pt', 'run.json'])  # no stray .tmp
        with open(os.path.join(out, 'run.json')) as f:
            self.assertFalse(json.load(f)['finished'])
        importlib.import_module('train.degrader.train').main(['--config', 'tiny', '--out', out, '--resume'] + QUIET)
        (r1, _), (r2, _) = self.load('one', 'degrader'), self.load('two', 'deg-resumed')
        self.assertTrue(r2['finished'])
        self.assertEqual(r2['processes'], 1)
        for k, v in r1['final_losses'].items():
            self.assertClose(v, r2['final_losses'][k], *TOL['degrader'], f'resumed degrader {k}')

    def test_single_process_helpers_are_identities(self):
        self.assertFalse(dist.active())
        x = torch.arange(6)
        self.assertIs(dist.shard(x), x)
        losses = {'a': 1.5, 'step': 2}
        self.assertIs(dist.mean_losses(losses), losses)
        self.assertEqual(dist.any_rank(True, False), [True, False])
        bn = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 1), torch.nn.BatchNorm2d(4))
        self.assertIs(dist.wrap(bn), bn)  # no process group: the module itself, batch norm untouched
        self.assertIs(type(bn[1]), torch.nn.BatchNorm2d)
        g = dist.sync_batchnorm(torch.nn.Sequential(torch.nn.Conv2d(3, 4, 1), torch.nn.BatchNorm2d(4)))
        self.assertIsInstance(g[1], dist.GlobalBatchNorm2d)
        self.assertEqual(list(g.state_dict()), list(bn.state_dict()))
        x = torch.randn(5, 3, 6, 6)
        bn.load_state_dict(g.state_dict())
        self.assertTrue(torch.equal(g(x), bn(x)))  # alone it is BatchNorm2d, running statistics too
        self.assertTrue(torch.equal(g[1].running_var, bn[1].running_var))


if __name__ == '__main__':
    unittest.main()
