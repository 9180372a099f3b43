"""Smoke tests of the learned-degradation pipeline (High-to-Low degrader, Low-to-High SR and
its bicubic twin): tiny configs train end to end on CPU, losses are finite, resume is exact,
export is valid (integrity, float16, card), the exported weights reproduce the PyTorch modules,
and no training code reads the lr-faces test split.

  /usr/bin/python3 -m unittest discover -s train/tests -t .      (from the repository root)
"""
import json
import math
import os
import shutil
import tempfile
import time
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from train.common import lr_faces as lr_data
from train.common.export import read_exported, rel_err, sha256, weights_sha
from train.degradation.eval import dump
from train.degradation.export import load_models
from train.degradation.parity import make_fixtures
from train.degrader import export as degrader_export
from train.degrader.model import DegraderG, ResD, avgpool_hr
from train.degrader.train import main as train_degrader
from train.low2high import export as low2high_export
from train.low2high.model import Low2HighG
from train.low2high.train import main as train_low2high

torch.set_num_threads(1)
QUIET = ['--log-every', '1000']


class TinyPipeline(unittest.TestCase):
    """degrader (tiny) -> export -> low2high (tiny, LR from that export) and the bicubic twin."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='degradation-test-')
        j = lambda *p: os.path.join(cls.tmp, *p)  # noqa: E731
        cls.deg_run, cls.deg_out = j('deg'), j('weights', 'degrader')
        cls.l2h_run, cls.l2h_out = j('l2h'), j('weights', 'low2high')
        cls.bic_run, cls.bic_out = j('bic'), j('weights', 'low2high-bicubic')
        t = time.time()
        cls.deg_done = train_degrader(['--config', 'tiny', '--out', cls.deg_run] + QUIET)
        degrader_export.export(cls.deg_run, cls.deg_out)
        cls.l2h_done = train_low2high(['--config', 'tiny', '--degrader', cls.deg_out, '--out', cls.l2h_run] + QUIET)
        cls.bic_done = train_low2high(['--config', 'tiny', '--lr-source', 'bicubic', '--out', cls.bic_run] + QUIET)
        low2high_export.export(cls.l2h_run, cls.l2h_out)
        low2high_export.export(cls.bic_run, cls.bic_out)
        cls.seconds = time.time() - t
        cls.runs = {}
        for k, d in (('deg', cls.deg_run), ('l2h', cls.l2h_run), ('bic', cls.bic_run)):
            with open(os.path.join(d, 'run.json')) as f:
                cls.runs[k] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_tiny_configs_train_end_to_end_with_finite_losses(self):
        self.assertTrue(self.deg_done and self.l2h_done and self.bic_done)
        self.assertLess(self.seconds, 60)
        for k, run in self.runs.items():
            self.assertTrue(run['finished'], k)
            self.assertEqual(run['steps'], run['cfg']['steps'])
            self.assertEqual(run['d_steps'], run['steps'] * run['cfg']['n_dis'])
            self.assertTrue(all(math.isfinite(v) for v in run['final_losses'].values()), k)
            self.assertEqual(set(run['final_losses']), {'d_loss', 'g_loss', 'pixel', 'adv'})
            self.assertEqual((run['cfg']['alpha'], run['cfg']['beta']), (1.0, 0.05))  # Eq. 1, §3.6
            self.assertEqual(tuple(run['cfg']['betas']), (0.0, 0.9))
        self.assertEqual(self.runs['l2h']['degrader_sha256'], weights_sha(self.deg_out))
        self.assertIsNone(self.runs['bic']['degrader_sha256'])

    def test_never_reads_the_lr_faces_test_split(self):
        man = lr_data.manifest()
        lo, hi = man['splits']['test']
        self.assertEqual((lo, hi), (765, 869))
        used = self.runs['deg']['real_lr_indices']
        self.assertLess(used['max'], lo)
        self.assertGreaterEqual(used['min'], 0)
        # the full training read is exactly the train split
        _, idx = lr_data.load_real_lr(split='train')
        self.assertEqual(idx, list(range(0, lo)))
        self.assertTrue(all(man['items'][i]['split'] == 'train' for i in idx))
        with self.assertRaises(ValueError):
            lr_data.load_real_lr(split='test')
        # tiny subsets are drawn from the train split only
        _, sub = lr_data.load_real_lr(split='train', limit=64, seed=3)
        self.assertTrue(all(i < lo for i in sub))

    def test_resume_is_exact(self):
        out = os.path.join(self.tmp, 'deg-resumed')
        self.assertFalse(train_degrader(['--config', 'tiny', '--out', out, '--max-minutes', '0'] + QUIET))
        with self.assertRaises(SystemExit):  # refuses to overwrite without --resume
            train_degrader(['--config', 'tiny', '--out', out] + QUIET)
        self.assertTrue(train_degrader(['--config', 'tiny', '--out', out, '--resume'] + QUIET))
        a = torch.load(os.path.join(self.deg_run, 'checkpoint.pt'), weights_only=False)
        b = torch.load(os.path.join(out, 'checkpoint.pt'), weights_only=False)
        for part in ('G', 'D'):
            for k in a[part]:
                self.assertTrue(torch.equal(a[part][k], b[part][k]), f'{part} {k}')
        self.assertEqual(a['last'], b['last'])

    def test_export_is_valid_and_reproduces_the_modules(self):
        for run_dir, out, kind in ((self.deg_run, self.deg_out, 'degrader'), (self.l2h_run, self.l2h_out, 'low2high'),
                                   (self.bic_run, self.bic_out, 'low2high')):
            with open(os.path.join(out, 'model.json')) as f:
                mj = json.load(f)
            self.assertEqual(mj['format'], 'srlab-weights')
            for p in mj['weightsManifest'][0]['paths']:
                with open(os.path.join(out, p), 'rb') as f:
                    data = f.read()
                self.assertEqual(mj['integrity'][p], {'bytes': len(data), 'sha256': sha256(data)})
            for spec in mj['weightsManifest'][0]['weights']:
                self.assertEqual(spec['quantization']['dtype'], 'float16')
            with open(os.path.join(out, 'card.json')) as f:
                card = json.load(f)
            self.assertIsNone(card['fid_proxy'])
            self.assertIn('non-commercial', json.dumps(card['data']))
            self.assertIn('non-commercial', card['license'])
            self.assertIn('stand-in', card['quality_note'])
            for key in ('steps', 'wall_minutes', 'final_losses', 'seed', 'hardware'):
                self.assertIn(key, card['training'])

            k, G, _, _ = load_models(run_dir)
            if kind == 'degrader':  # the tiny config exercises the global-skip path (Units covers the plain net)
                self.assertIn('d/skip/gain', read_exported(out)[1])
            self.assertEqual(k, kind)
            W32 = degrader_export.fold(G) if kind == 'degrader' else low2high_export.fold(G)
            _, W16 = read_exported(out)
            g = torch.Generator().manual_seed(11)
            with torch.no_grad():
                if kind == 'degrader':
                    hr, z = torch.rand(3, 3, 64, 64, generator=g) * 2 - 1, torch.randn(3, 100, generator=g)
                    ref = G(hr, z)
                    self.assertLess(rel_err(degrader_export.degrader_forward(W32, hr, z), ref), 1e-5)
                    self.assertLess(rel_err(degrader_export.degrader_forward(W16, hr, z), ref), 2e-2)
                else:
                    lr = torch.rand(3, 3, 16, 16, generator=g) * 2 - 1
                    ref = G(lr)
                    self.assertLess(rel_err(low2high_export.low2high_forward(W32, lr), ref), 1e-5)
                    self.assertLess(rel_err(low2high_export.low2high_forward(W16, lr), ref), 2e-2)

    def test_parity_fixtures_are_small_and_self_consistent(self):
        fx = make_fixtures(self.deg_out, [self.l2h_out, self.bic_out])
        self.assertEqual(set(fx), {'degrader', 'low2high', 'low2high-bicubic'})
        for name, f in fx.items():
            self.assertLess(len(json.dumps(f, separators=(',', ':'))), 20_000, name)
            self.assertEqual(f['lr_shape'], [2, 16, 16, 3])
        self.assertEqual(len(fx['degrader']['cases'][0]['values']), 16 * 16 * 3)

    def test_claim_sets_dump(self):
        out = os.path.join(self.tmp, 'claims')
        info = dump(out, os.path.join(self.tmp, 'weights'), hr_limit=30)
        self.assertEqual(info['sets']['deg_lr16'], [30, 16, 16, 3])
        self.assertEqual(info['sets']['real_lr16_test'], [104, 16, 16, 3])
        self.assertEqual(info['sets']['sr_deg64'], [104, 64, 64, 3])
        self.assertEqual(info['sets']['sr_bic64'], [104, 64, 64, 3])
        self.assertEqual(info['real_lr_test_indices'], [765, 869])
        self.assertEqual(np.load(os.path.join(out, 'hr64_test.npy')).dtype, np.uint8)


class Units(unittest.TestCase):
    def test_shapes_and_paper_structure(self):
        G = DegraderG((8, 8, 8, 8, 16, 16))
        self.assertEqual(tuple(G(torch.rand(2, 3, 64, 64) * 2 - 1, torch.randn(2, 100)).shape), (2, 3, 16, 16))
        self.assertEqual(sum(len(g) for g in G.groups), 12)  # 12 residual blocks in 6 groups
        self.assertEqual(G.noise_fc.out_features, 64 * 64)  # noise -> one 64x64 channel
        self.assertEqual(G.stem.in_channels, 4)
        S = Low2HighG((8, 8, 8))
        self.assertEqual(tuple(S(torch.rand(2, 3, 16, 16)).shape), (2, 3, 64, 64))
        self.assertEqual([len(g) for g in S.groups], [12, 3, 2])  # 17 blocks
        for D, px in ((ResD(16, (8,) * 6, 2), 16), (ResD(64, (8,) * 6, 4), 64)):
            self.assertEqual(len(D.blocks), 6)
            self.assertEqual(tuple(D(torch.rand(2, 3, px, px)).shape), (2, 1))
            self.assertFalse(any(isinstance(m, torch.nn.BatchNorm2d) for m in D.modules()))
            self.assertTrue(all(hasattr(m, 'weight_orig') for m in D.modules()
                                if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))))  # spectral norm everywhere

    def test_pixel_shuffle_reference_and_avgpool_target(self):
        x = torch.randn(2, 16, 3, 5)
        self.assertTrue(torch.equal(degrader_export.pixel_shuffle_nhwc_reference(x), F.pixel_shuffle(x, 2)))
        hr = torch.rand(1, 3, 64, 64)
        self.assertTrue(torch.allclose(avgpool_hr(hr)[0, :, 0, 0], hr[0, :, :4, :4].mean((1, 2))))

    def test_bn_folding_matches_eval_mode(self):
        G = DegraderG((8, 8, 8, 8, 16, 16))
        G.train()
        with torch.no_grad():  # populate running stats
            for _ in range(3):
                G(torch.rand(4, 3, 64, 64) * 2 - 1, torch.randn(4, 100))
        G.eval()
        hr, z = torch.rand(2, 3, 64, 64) * 2 - 1, torch.randn(2, 100)
        with torch.no_grad():
            self.assertLess(rel_err(degrader_export.degrader_forward(degrader_export.fold(G), hr, z), G(hr, z)), 1e-5)


if __name__ == '__main__':
    unittest.main()
