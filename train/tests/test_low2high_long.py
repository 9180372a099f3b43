"""The longer Low-to-High configs (cpu-long and its CI twin tiny-long, issue 18): the §3.6 HR
augmentation (seeded, resumable, identity at zero ranges), both HR face sets, the lr schedule, exact
resume with all of it, the card stating every change, and the real-LR evaluation's verdict rule.

  /usr/bin/python3 -m unittest train.tests.test_low2high_long      (from the repository root)
"""
import json
import os
import shutil
import tempfile
import unittest

import torch

from train.common.augment import HrAugment, affine, colour_jitter
from train.common.cli import make_cfg
from train.degradation.real_lr_eval import vs_bicubic
from train.low2high import export as low2high_export
from train.low2high.train import COMMON, CONFIGS, Low2HighRun
from train.low2high.train import main as train_low2high

torch.set_num_threads(1)
QUIET = ['--log-every', '1000', '--lr-source', 'bicubic']


def faces(n=6, seed=0):
    return torch.rand(n, 3, 64, 64, generator=torch.Generator().manual_seed(seed)) * 2 - 1


class Augmentation(unittest.TestCase):
    def test_seeded_and_resumable(self):
        x = faces()
        a, b = HrAugment(seed=5), HrAugment(seed=5)
        self.assertTrue(torch.equal(a(x), b(x)))
        state = a.state_dict()
        first = a(x)
        b.load_state_dict(state)
        b(x)  # b was one draw behind a's saved state; now both are past it
        c = HrAugment(seed=99)
        c.load_state_dict(state)
        self.assertTrue(torch.equal(c(x), first))
        self.assertFalse(torch.equal(HrAugment(seed=6)(x), HrAugment(seed=5)(x)))

    def test_zero_ranges_are_the_identity_and_output_stays_in_range(self):
        x = faces()
        ident = HrAugment(seed=1, scale=0, rotate_deg=0, brightness=0, contrast=0, saturation=0)
        self.assertLess(float((ident(x) - x).abs().max()), 1e-5)
        y = HrAugment(seed=1)(x)
        self.assertEqual(y.shape, x.shape)
        self.assertGreaterEqual(float(y.min()), -1.0)
        self.assertLessEqual(float(y.max()), 1.0)
        self.assertGreater(float((y - x).abs().mean()), 1e-3)

    def test_rotation_and_jitter_do_what_they_say(self):
        # a horizontal bar rotated by 90 degrees becomes a vertical bar
        x = -torch.ones(1, 3, 64, 64)
        x[:, :, 30:34, 8:56] = 1.0
        y = affine(x, [1.0], [torch.pi / 2])
        self.assertGreater(float(y[0, 0, 8:56, 30:34].mean()), 0.9)
        self.assertLess(float(y[0, 0, 30:34, 8:20].mean()), -0.9)
        g = faces(2) * 0.5  # inside [-0.5, 0.5]: no clamping
        brighter = colour_jitter(g, [0.1, -0.1], [1, 1], [1, 1])  # +-0.1 of [0,1] is +-0.2 in [-1,1]
        self.assertLess(float((brighter[0] - g[0] - 0.2).abs().max()), 1e-6)
        self.assertLess(float((brighter[1] - g[1] + 0.2).abs().max()), 1e-6)
        grey = colour_jitter(g, [0, 0], [1, 1], [0, 0])  # saturation 0: every channel equals the luma
        self.assertLess(float((grey[:, 0] - grey[:, 1]).abs().max()), 1e-6)
        flat = colour_jitter(g, [0, 0], [0, 0], [1, 1])  # contrast 0: every pixel equals the image mean
        self.assertLess(float(flat.std(dim=(1, 2, 3)).max()), 1e-6)


class LongConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='low2high-long-test-')
        cls.run_dir = os.path.join(cls.tmp, 'straight')
        cls.done = train_low2high(['--config', 'tiny-long', '--out', cls.run_dir] + QUIET)
        with open(os.path.join(cls.run_dir, 'run.json')) as f:
            cls.info = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_both_face_sets_and_augmentation_are_used(self):
        self.assertTrue(self.done)
        self.assertEqual(self.info['hr_sets'], {'faces64': 64, 'celeba64': 64})
        self.assertEqual(self.info['hr_train_images'], 128)
        self.assertEqual(self.info['augment']['rotate_deg'], 5.0)

    def test_lr_schedule(self):
        cfg = make_cfg(CONFIGS, COMMON, 'tiny-long', lr_source='bicubic', steps=100)
        r = Low2HighRun(cfg, os.path.join(self.tmp, 'sched'), torch.device('cpu'))
        got = {}
        for step in (0, 49, 50, 75, 100):
            r.step = step
            got[step] = r.learning_rate()
        self.assertEqual(got[0], 5e-4)
        self.assertEqual(got[49], 5e-4)
        self.assertAlmostEqual(got[75], 3e-4)
        self.assertAlmostEqual(got[100], 1e-4)
        r.train_step(True)
        self.assertAlmostEqual(r.optG.param_groups[0]['lr'], 1e-4)

    def test_resume_is_exact(self):
        out = os.path.join(self.tmp, 'resumed')
        self.assertFalse(train_low2high(['--config', 'tiny-long', '--out', out, '--max-minutes', '0'] + QUIET))
        self.assertTrue(train_low2high(['--config', 'tiny-long', '--out', out, '--resume'] + QUIET))
        a = torch.load(os.path.join(self.run_dir, 'checkpoint.pt'), weights_only=False)
        b = torch.load(os.path.join(out, 'checkpoint.pt'), weights_only=False)
        for part in ('G', 'D'):
            for k in a[part]:
                self.assertTrue(torch.equal(a[part][k], b[part][k]), f'{part} {k}')
        self.assertEqual(a['last'], b['last'])
        self.assertEqual(a['data']['augment']['rng'], b['data']['augment']['rng'])

    def test_card_states_every_change(self):
        out = os.path.join(self.tmp, 'weights', 'low2high-bicubic')
        low2high_export.export(self.run_dir, out)
        with open(os.path.join(out, 'card.json')) as f:
            card = json.load(f)
        dev = ' | '.join(card['deviations_from_papers'])
        self.assertIn('rotation ±5°', dev)
        self.assertIn('linearly down to 0.0001', dev)
        self.assertIn('from scratch', dev)
        self.assertNotIn('flips only', dev)
        self.assertIn('CelebA', card['data']['hr_celeba'])
        self.assertIn('64 celeba64 train (CelebA)', card['data_detail'])
        self.assertIn('CelebA', card['license'])


class Verdict(unittest.TestCase):
    def test_beats_only_on_every_seed_and_beyond_two_standard_errors(self):
        self.assertTrue(vs_bicubic([0.15, 0.16, 0.155], [0.18, 0.185, 0.182])['beats_bicubic'])
        self.assertFalse(vs_bicubic([0.15, 0.19, 0.155], [0.18, 0.185, 0.182])['beats_bicubic'])  # one seed worse
        self.assertFalse(vs_bicubic([0.179, 0.15], [0.18, 0.185])['beats_bicubic'])  # lower, within 2 se
        self.assertFalse(vs_bicubic([0.15], [0.18])['beats_bicubic'])  # one seed has no spread
        v = vs_bicubic([0.19, 0.2], [0.18, 0.18])
        self.assertAlmostEqual(v['diff_mean'], 0.015)
        self.assertEqual(v['per_seed'], [0.01, 0.02])


if __name__ == '__main__':
    unittest.main()
