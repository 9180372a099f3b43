"""Joint face SR + deblurring (train/joint_sr/, paper 002) on the tiny config: the motion kernel against a
hand-computed case, blur conventions, the face-mask rule on a square, generator / discriminator shapes for
both generator variants, the losses, a tiny run that resumes bit-exactly from its checkpoint, and the
export round trip (G, D_g, D_l) with its card."""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch

from train.common.export import load_run, read_exported, rel_err
from train.common.paths import REPO_ROOT
from train.joint_sr.blur import blur_batch, kernels_for, motion_blur_kernel
from train.joint_sr.mask import face_mask, polygon_mask
from train.joint_sr.model import Generator, PatchD, lsgan_d, lsgan_g
from train.tests.landmark_cache import fake_caches

FACE_API = os.path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'model')
TINY = ['--config', 'tiny', '--log-every', '1000']


class Kernel(unittest.TestCase):
    def test_length_4_at_0_degrees_is_the_hand_computed_tent_line(self):
        # 65 samples from x = 0 to 4 in steps of 1/16, each split between floor(x) and floor(x) + 1:
        # column 0 gets sum(1 - k/16, k = 0..15) = 8.5, columns 1..3 get 16, column 4 gets 7.5 + 1 = 8.5.
        k = motion_blur_kernel(4, 0)
        want = np.zeros((5, 5))
        want[2] = np.array([8.5, 16, 16, 16, 8.5]) / 65
        np.testing.assert_allclose(k, want, atol=1e-7)

    def test_90_degrees_is_the_transpose_and_zero_length_the_identity(self):
        np.testing.assert_allclose(motion_blur_kernel(4, 90), motion_blur_kernel(4, 0).T, atol=1e-7)
        np.testing.assert_array_equal(motion_blur_kernel(0, 33), np.ones((1, 1), np.float32))
        k = motion_blur_kernel(7.3, 30)
        self.assertEqual(k.shape, (9, 9))
        self.assertAlmostEqual(float(k.sum()), 1.0, places=6)
        # 30 degrees counter-clockwise on screen (y down): the top-right corner holds mass, the top-left none
        self.assertGreater(k[:4, 5:].sum(), 0.2)
        self.assertEqual(k[:3, :3].sum(), 0)

    def test_blur_is_a_true_convolution_with_per_image_kernels(self):
        x = torch.zeros(2, 1, 21, 21)
        x[:, :, 10, 10] = 1  # an impulse returns the kernel itself (not its mirror)
        y = blur_batch(x, kernels_for([5, 12.5], [30, 135.7]))
        for i, (length, angle) in enumerate([(5, 30), (12.5, 135.7)]):
            k = motion_blur_kernel(length, angle)
            r = k.shape[0] // 2
            np.testing.assert_allclose(y[i, 0, 10 - r:11 + r, 10 - r:11 + r].numpy(), k, atol=1e-7)
            self.assertAlmostEqual(float(y[i].sum()), 1.0, places=5)

    def test_an_asymmetric_kernel_is_flipped_as_in_tensor_ts(self):
        # motion kernels are point-symmetric, so only an asymmetric kernel shows the flip: an impulse
        # convolved (not correlated) with k returns k itself, anchored at its centre
        k = torch.tensor([[0.0, 0.1, 0.0], [0.0, 0.2, 0.3], [0.4, 0.0, 0.0]])
        x = torch.zeros(1, 1, 7, 7)
        x[0, 0, 3, 3] = 1
        np.testing.assert_allclose(blur_batch(x, k)[0, 0, 2:5, 2:5].numpy(), k.numpy(), atol=1e-7)

    def test_shared_fixture_matches(self):
        with open(os.path.join(REPO_ROOT, 'test', 'fixtures', 'joint-sr-kernels.json')) as f:
            fx = json.load(f)
        for c in fx['kernels']:
            np.testing.assert_allclose(motion_blur_kernel(c['length'], c['angle']).ravel(), c['data'], atol=1e-7)


class Mask(unittest.TestCase):
    def test_square_polygon_by_pixel_centres(self):
        m = polygon_mask(np.array([[2.0, 2.0], [6.0, 2.0], [6.0, 6.0], [2.0, 6.0]]), size=8)
        want = np.zeros((8, 8), np.uint8)
        want[2:6, 2:6] = 1  # centres 2.5..5.5 lie inside [2, 6]
        np.testing.assert_array_equal(m, want)
        m = polygon_mask(np.array([[2.6, 2.6], [6.0, 2.6], [6.0, 6.0], [2.6, 6.0]]), size=8)
        want[2, :] = 0  # centre 2.5 is now above/left of the edge at 2.6
        want[:, 2] = 0
        np.testing.assert_array_equal(m, want)
        # edges through pixel centres: (a.y > py) counts a vertex on the scanline as below it, and px < x
        # excludes the right edge, so the top/left rows and columns are in, the bottom/right ones out
        m = polygon_mask(np.array([[2.5, 2.5], [5.5, 2.5], [5.5, 5.5], [2.5, 5.5]]), size=8)
        want = np.zeros((8, 8), np.uint8)
        want[2:5, 2:5] = 1
        np.testing.assert_array_equal(m, want)

    def test_face_mask_lifts_the_brows_and_mirrors_with_the_face(self):
        pts = np.zeros((68, 2))
        ang = np.linspace(np.pi, 2 * np.pi, 17)  # jaw: lower half circle, radius 40 around (64, 60)
        pts[:17] = np.stack([64 + 40 * np.cos(ang[::-1]), 60 - 40 * np.sin(ang[::-1])], 1)
        pts[17:27] = np.stack([np.linspace(30, 98, 10), np.full(10, 50.0)], 1)  # brows at y = 50
        pts[8] = [64, 100]  # chin, so h = 100 - 50 = 50 and the brows rise by 10 to y = 40
        m = face_mask(pts)
        self.assertEqual(m[41, 64], 1)  # centre y 41.5: above the brows, below the lifted brows
        self.assertEqual(m[38, 64], 0)
        flipped = pts.copy()
        flipped[:, 0] = 128 - flipped[:, 0]
        np.testing.assert_array_equal(face_mask(flipped), m[:, ::-1])


class Model(unittest.TestCase):
    def test_output_shapes_for_both_generator_variants(self):
        for blur_branch in (True, False):
            out = Generator(4, blur_branch)(torch.rand(2, 3, 16, 16) * 2 - 1)
            for k in ('feature', 'sharp') + (('blurred',) if blur_branch else ()):
                self.assertEqual(tuple(out[k].shape), (2, 3, 128, 128))
            self.assertEqual(out['blurred'] is None, not blur_branch)
        self.assertEqual(Generator(4, False).lf.in_channels, 4 + 3)
        self.assertEqual(Generator(4, True).lf.in_channels, 8 + 3)
        self.assertEqual(tuple(PatchD(6, 4).score_map(torch.zeros(2, 6, 128, 128)).shape), (2, 1, 8, 8))
        self.assertEqual(tuple(PatchD(3, 4)(torch.zeros(2, 3, 128, 128)).shape), (2,))

    def test_lsgan_losses(self):
        real, fake = torch.tensor([0.5, 1.5]), torch.tensor([0.2, -0.4])
        self.assertAlmostEqual(float(lsgan_d(real, fake)), (0.25 + 0.25) / 2 + (0.04 + 0.16) / 2, places=6)
        self.assertAlmostEqual(float(lsgan_g(fake)), (0.64 + 1.96) / 2, places=6)


@unittest.skipUnless(os.path.isdir(FACE_API), 'node_modules/@vladmandic/face-api not installed')
class TinyRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from train.joint_sr.train import main as train_main
        cls.train_main = staticmethod(train_main)
        cls.tmp = tempfile.mkdtemp(prefix='joint-sr-test-')
        cls.full = os.path.join(cls.tmp, 'full')
        # CI has no face-api landmark cache: a synthetic one in the cache's format (masks from made-up points)
        cls.tiny = TINY + ['--landmark-dir', fake_caches(os.path.join(cls.tmp, 'landmarks'))]
        assert train_main(cls.tiny + ['--variant', 'full', '--out', cls.full])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_a_stopped_run_resumes_bit_exactly(self):
        run = os.path.join(self.tmp, 'stopped')
        self.assertFalse(self.train_main(self.tiny + ['--variant', 'full', '--out', run, '--max-minutes', '0']))
        self.assertEqual(load_run(run)[0]['step'], 1)
        self.assertTrue(self.train_main(self.tiny + ['--variant', 'full', '--out', run, '--resume']))
        a, b = load_run(self.full)[0], load_run(run)[0]
        self.assertEqual(b['step'], 3)
        self.assertEqual(a['last'], b['last'])
        for part in ('G', 'Dg', 'Dl'):
            for k in a[part]:
                self.assertTrue(torch.equal(a[part][k], b[part][k]), f'{part}.{k}')

    def test_local_discriminator_joins_at_40_percent(self):
        hist = load_run(self.full)[1]['loss_history']
        self.assertEqual([('d_l' in h) for h in hist], [False, True, True])  # int(0.4 * 3) = 1

    def test_export_round_trip_and_card(self):
        from train.joint_sr.export import export, joint_sr_forward, load_models, score_map
        for variant in ('full', 'noblur'):
            run = self.full if variant == 'full' else os.path.join(self.tmp, 'noblur')
            if variant == 'noblur':
                self.assertTrue(self.train_main(self.tiny + ['--variant', 'noblur', '--out', run]))
            out = os.path.join(self.tmp, f'{variant}-export')
            W = export(run, out, test_faces=8, fid_seeds=())
            _, G, Dg, Dl, _ = load_models(run)
            x = torch.rand(2, 3, 16, 16) * 2 - 1
            with torch.no_grad():
                ref = G(x)
                got = joint_sr_forward(W, x)
                for k in ('feature', 'sharp') + (('blurred',) if variant == 'full' else ()):
                    self.assertLess(rel_err(got[k], ref[k]), 2e-2, k)
                self.assertEqual(got['blurred'] is None, variant == 'noblur')
                d_in = torch.cat([ref['feature'], ref['sharp']], 1)
                self.assertLess(rel_err(score_map(W, 'dg', d_in), Dg.score_map(d_in)), 2e-2)
                self.assertLess(rel_err(score_map(W, 'dl', ref['sharp']), Dl.score_map(ref['sharp'])), 2e-2)
            mj, arrays = read_exported(out)
            self.assertEqual('g/uo/w' in arrays, variant == 'full')
            self.assertEqual(mj['modelConfig']['blurBranch'], variant == 'full')
            with open(os.path.join(out, 'card.json')) as f:
                card = json.load(f)
            self.assertEqual(card['training']['steps'], 3)
            self.assertEqual(card['training']['local_d_from_step'], 1)
            self.assertEqual(card['test']['faces'], 8)
            self.assertGreater(card['test']['bicubic']['psnr_db'], 15)
            self.assertIn('CPU stand-in', card['quality_note'])
            self.assertTrue(card['weights_manifest_sha256'])


if __name__ == '__main__':
    unittest.main()
