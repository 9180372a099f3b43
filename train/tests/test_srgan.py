"""SRResNet-MSE / SRGAN (train/srgan/) on the tiny config: training, the §3.2 initialisation from the
MSE run, resume, export (float16 round trip of G and D, folded batch norm, pixel shuffle) and the card."""
import json
import os
import shutil
import tempfile
import unittest

import torch

from train.common.export import load_run, read_exported, rel_err
from train.common.paths import REPO_ROOT
from train.srgan.export import discriminator_logit_map, export, load_models, srresnet_forward
from train.srgan.model import SRResNet, d_loss, g_adv_loss
from train.srgan.train import main as train_main

FACE_API = os.path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'model')
TINY = ['--config', 'tiny', '--log-every', '1000']


class Losses(unittest.TestCase):
    def test_eq2_and_eq6_are_the_log_losses(self):
        real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
        p_real, p_fake = torch.sigmoid(real), torch.sigmoid(fake)
        self.assertAlmostEqual(float(d_loss(real, fake)), float(-(p_real.log().mean() + (1 - p_fake).log().mean())), 5)
        self.assertAlmostEqual(float(g_adv_loss(fake)), float(-p_fake.log().mean()), 5)

    def test_generator_is_4x_and_fully_convolutional(self):
        G = SRResNet(8, 2).eval()
        self.assertEqual(tuple(G(torch.zeros(1, 3, 16, 16)).shape), (1, 3, 64, 64))
        self.assertEqual(tuple(G(torch.zeros(1, 3, 8, 12)).shape), (1, 3, 32, 48))


class TinyRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='srgan-test-')
        cls.mse = os.path.join(cls.tmp, 'mse')
        assert train_main(TINY + ['--loss', 'mse', '--out', cls.mse])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_mse_export_reproduces_the_generator_and_writes_a_card(self):
        out = os.path.join(self.tmp, 'mse-export')
        W = export(self.mse, out)
        _, G, D, run = load_models(self.mse)
        self.assertIsNone(D)
        x = torch.rand(2, 3, 16, 16) * 2 - 1
        with torch.no_grad():
            self.assertLess(rel_err(srresnet_forward(W, x), G(x)), 2e-2)
        _, arrays = read_exported(out)
        self.assertFalse(any(k.startswith('d/') for k in arrays))
        with open(os.path.join(out, 'card.json')) as f:
            card = json.load(f)
        self.assertEqual(card['training']['steps'], 3)
        self.assertTrue(card['weights_manifest_sha256'])
        self.assertEqual(card['test']['faces'], 500)
        self.assertGreater(card['test']['psnr_db'], 5)
        self.assertIn('stand-in', card['quality_note'])

    def test_resume_with_a_longer_schedule_records_it(self):
        run = os.path.join(self.tmp, 'mse-resume')
        shutil.copytree(self.mse, run)
        self.assertTrue(train_main(TINY + ['--loss', 'mse', '--out', run, '--resume', '--steps', '5']))
        ck, info = load_run(run)
        self.assertEqual(ck['step'], 5)
        self.assertEqual(info['cfg']['schedule_changes'], [{'at_step': 3, 'steps': 5, 'was': 3}])

    @unittest.skipUnless(os.path.isdir(FACE_API), 'node_modules/@vladmandic/face-api not installed')
    def test_srgan_starts_from_the_mse_net_and_exports_g_and_d(self):
        run = os.path.join(self.tmp, 'gan')
        self.assertTrue(train_main(TINY + ['--loss', 'gan', '--out', run, '--init', self.mse]))
        ck, info = load_run(run)
        self.assertEqual(info['init_steps'], 3)
        self.assertTrue({'d_loss', 'content', 'adv', 'mse'} <= set(info['final_losses']))
        W = export(run, os.path.join(self.tmp, 'gan-export'))
        _, G, D, _ = load_models(run)
        y = G(torch.rand(2, 3, 16, 16) * 2 - 1).detach()
        with torch.no_grad():
            m = discriminator_logit_map(W, y)
            self.assertEqual(tuple(m.shape), (2, 1, 4, 4))
            self.assertLess(rel_err(m, D.logit_map(y)), 2e-2)
            self.assertLess(rel_err(m.mean(dim=(1, 2, 3)), D(y)), 2e-2)
        with self.assertRaises(SystemExit):  # §3.2's initialisation is the MSE net, not another GAN
            train_main(TINY + ['--loss', 'gan', '--out', os.path.join(self.tmp, 'bad'), '--init', run])
