"""Smoke tests of the ProGAN pipeline (CPU, tiny config, < 2 minutes in all).

  /usr/bin/python3 -m unittest discover -s train/tests -t .      (from the repository root)
"""
import json
import math
import os
import shutil
import subprocess
import tempfile
import time
import unittest

import numpy as np
import torch

from train.common import export as common_export
from train.common.data import Batches, load_faces64, read_tar_shards, resolve_data_dir, tar_shards_for
from train.common.export import read_exported, rel_err, sha256
from train.common.paths import REPO_ROOT as REPO
from train.progan import export as progan_export
from train.progan.configs import get_config, locate, phases, total_images
from train.progan.exported import fold_generator, forward_exported
from train.progan.model import RESOLUTIONS, Discriminator, Generator
from train.progan.parity import make_fixture
from train.progan.stage_samples import StageSamples, render_samples, stage_points
from train.progan.train import main as train_main, schedule_change_problem

torch.set_num_threads(1)
TINY = ['--config', 'tiny', '--log-every', '1000', '--stage-samples', '16']


def read_stage_samples(run_dir):
    with open(os.path.join(run_dir, 'samples', 'index.json')) as f:
        index = json.load(f)
    return index, {e['images_seen']: np.load(os.path.join(run_dir, 'samples', e['file'])) for e in index['entries']}


class TrainedTiny(unittest.TestCase):
    """One uninterrupted tiny run shared by the tests below (trained once per test class)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='progan-test-')
        cls.run_dir = os.path.join(cls.tmp, 'run')
        t = time.time()
        cls.done = train_main([*TINY, '--out', cls.run_dir])
        cls.train_seconds = time.time() - t
        with open(os.path.join(cls.run_dir, 'run.json')) as f:
            cls.info = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_trains_through_all_levels_quickly_with_finite_losses(self):
        self.assertTrue(self.done)
        self.assertLess(self.train_seconds, 120)
        self.assertEqual(self.info['images_seen'], total_images(get_config('tiny')))
        for r in RESOLUTIONS:
            self.assertGreater(self.info['per_level'][str(r)]['steps'], 0, f'no steps at {r}px')
        self.assertTrue(all(math.isfinite(v) for v in self.info['final_losses'].values()))

    def test_filmstrip(self):
        with open(os.path.join(self.run_dir, 'filmstrip.json')) as f:
            log = json.load(f)
        from PIL import Image
        with Image.open(os.path.join(self.run_dir, 'filmstrip.png')) as png:
            self.assertEqual(png.size, (16 * 64, 64 * len(log)))
        self.assertEqual({e['level'] for e in log}, set(RESOLUTIONS))
        for e in log:
            self.assertTrue({'step', 'level', 'alpha', 'g_loss', 'd_loss', 'images_seen'} <= set(e))

    def test_resume_is_exact(self):
        out = os.path.join(self.tmp, 'resumed')
        self.assertFalse(train_main([*TINY, '--out', out, '--max-minutes', '0']))
        with self.assertRaises(SystemExit):  # refuses to overwrite without --resume
            train_main(['--config', 'tiny', '--out', out])
        self.assertTrue(train_main([*TINY, '--out', out, '--resume']))
        a = torch.load(os.path.join(self.run_dir, 'checkpoint.pt'), weights_only=False)
        b = torch.load(os.path.join(out, 'checkpoint.pt'), weights_only=False)
        for k in a['G_ema']:
            self.assertTrue(torch.equal(a['G_ema'][k], b['G_ema'][k]), k)
        self.assertEqual(a['last'], b['last'])
        # stage dumps of the resumed run are the uninterrupted run's, bit for bit
        _, sa = read_stage_samples(self.run_dir)
        _, sb = read_stage_samples(out)
        self.assertEqual(sorted(sa), sorted(sb))
        for k in sa:
            self.assertTrue(np.array_equal(sa[k], sb[k]), k)

    def test_stage_samples(self):
        cfg = get_config('tiny')
        index, dumps = read_stage_samples(self.run_dir)
        points = stage_points(cfg)
        self.assertEqual(sorted(dumps), [0, *sorted(points)])
        self.assertEqual([e['phase'] for e in index['entries']], ['untrained'] + ['stab_end'] * len(points))
        self.assertEqual([e['level'] for e in index['entries']], [4, *RESOLUTIONS])
        for x in dumps.values():
            self.assertEqual((x.shape, x.dtype), ((16, 64, 64, 3), np.uint8))
        self.assertGreater(len(np.unique(dumps[0])), 1)
        self.assertEqual(self.info['stage_samples']['count'], 16)
        z = StageSamples(self.tmp, 16, cfg['latent'], cfg['seed'], torch.device('cpu')).z
        torch.manual_seed(cfg['seed'])  # the trainer's untrained G
        G0 = Generator(cfg['latent'], cfg['widths'])
        self.assertTrue(np.array_equal(dumps[0], render_samples(G0, z, 0)))
        x = dumps[min(points)]  # 4 px dump: 16x16 blocks of one colour
        self.assertTrue(np.array_equal(x, np.repeat(np.repeat(x[:, ::16, ::16], 16, 1), 16, 2)))
        ck = torch.load(os.path.join(self.run_dir, 'checkpoint.pt'), weights_only=False)
        G = Generator(cfg['latent'], cfg['widths'])
        G.load_state_dict(ck['G_ema'])  # the last dump is the exported (EMA) generator
        self.assertTrue(np.array_equal(dumps[total_images(cfg)], render_samples(G, z, len(RESOLUTIONS) - 1)))

    def test_stage_samples_do_not_change_training(self):
        out = os.path.join(self.tmp, 'no-samples')
        self.assertTrue(train_main(['--config', 'tiny', '--log-every', '1000', '--stage-samples', '0', '--out', out]))
        self.assertFalse(os.path.exists(os.path.join(out, 'samples')))
        a = torch.load(os.path.join(self.run_dir, 'checkpoint.pt'), weights_only=False)
        b = torch.load(os.path.join(out, 'checkpoint.pt'), weights_only=False)
        for k in a['G_ema']:
            self.assertTrue(torch.equal(a['G_ema'][k], b['G_ema'][k]), k)
        self.assertEqual(a['last'], b['last'])

    def test_stage_samples_caught_up_on_resume(self):
        """A checkpoint sitting exactly on a stage end whose dump is missing gets it on resume."""
        out = os.path.join(self.tmp, 'catch-up')
        first = get_config('tiny')['stab'][0]  # stop right at the end of the 4 px stage
        self.assertTrue(train_main([*TINY, '--out', out, '--fade', '0,0,0,0,0', '--stab', f'{first},0,0,0,0']))
        os.remove(os.path.join(out, 'samples', f'stab-end-4px-{first:08d}.npy'))
        self.assertTrue(train_main([*TINY, '--out', out, '--resume']))
        _, sa = read_stage_samples(self.run_dir)
        _, sb = read_stage_samples(out)
        self.assertEqual(sorted(sa), sorted(sb))
        for k in sa:
            self.assertTrue(np.array_equal(sa[k], sb[k]), k)

    @unittest.skipUnless(shutil.which('node') and os.path.isdir(os.path.join(REPO, 'node_modules', 'vite')),
                         'node + node_modules needed for scripts/card-fid.js')
    def test_card_fid_writes_fid_proxy(self):
        out = os.path.join(self.tmp, 'export-fid')
        progan_export.export(self.run_dir, out)
        r = subprocess.run(['node', os.path.join(REPO, 'scripts', 'card-fid.js'), '--run', self.run_dir,
                            '--card', os.path.join(out, 'card.json'), '--n', '16'],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(out, 'card.json')) as f:
            fp = json.load(f)['fid_proxy']
        self.assertEqual((fp['metric'], fp['n']), ('FID-proxy', 16))
        self.assertIn('not comparable to Inception FID', fp['note'])
        self.assertEqual([s['level'] for s in fp['stages']], list(RESOLUTIONS))
        self.assertEqual(fp['final'], fp['stages'][-1]['value'])
        self.assertTrue(all(math.isfinite(v) and v >= 0 for v in [fp['untrained'], *(s['value'] for s in fp['stages'])]))

    def test_export_manifest_integrity_and_parity(self):
        out = os.path.join(self.tmp, 'export')
        old = common_export.SHARD_BYTES
        common_export.SHARD_BYTES = 100_000  # force several shards, weights spanning boundaries
        try:
            model = progan_export.export(self.run_dir, out)
        finally:
            common_export.SHARD_BYTES = old
        group = model['weightsManifest'][0]
        self.assertGreater(len(group['paths']), 1)
        for p in group['paths']:
            with open(os.path.join(out, p), 'rb') as f:
                data = f.read()
            self.assertLessEqual(len(data), 100_000)
            self.assertEqual(model['integrity'][p], {'bytes': len(data), 'sha256': sha256(data)})
        for spec in group['weights']:
            self.assertEqual(spec['quantization']['dtype'], 'float16')
            self.assertEqual(spec['dtype'], 'float32')
        with open(os.path.join(out, 'card.json')) as f:
            card = json.load(f)
        self.assertIsNone(card['fid_proxy'])  # until scripts/card-fid.js measures it
        self.assertEqual(card['weights_manifest_sha256'], common_export.manifest_sha256(model))  # binds names to bytes
        self.assertIn('non-commercial', card['data'])
        self.assertIn('stand-in', card['quality_note'])
        self.assertTrue(os.path.exists(os.path.join(out, 'filmstrip.png')))

        # PyTorch module vs the exported (float16) weights in the plain-conv twin forward
        ck = torch.load(os.path.join(self.run_dir, 'checkpoint.pt'), weights_only=False)
        G = Generator(ck['cfg']['latent'], ck['cfg']['widths'])
        G.load_state_dict(ck['G_ema'])
        _, W16 = read_exported(out)
        W32 = fold_generator(G)
        z = torch.randn(3, G.latent, generator=torch.Generator().manual_seed(5))
        for level in range(len(RESOLUTIONS)):
            for alpha in (1.0, 0.5):
                with torch.no_grad():
                    ref = G(z, level, alpha)
                r = RESOLUTIONS[level]
                self.assertLess(rel_err(forward_exported(W32, z, r, alpha), ref), 1e-5, f'layout {r}px a={alpha}')
                self.assertLess(rel_err(forward_exported(W16, z, r, alpha), ref), 2e-2, f'float16 {r}px a={alpha}')

        # tampered shard is refused
        p = os.path.join(out, group['paths'][0])
        with open(p, 'r+b') as f:
            f.seek(10)
            b = f.read(1)
            f.seek(10)
            f.write(bytes([b[0] ^ 1]))
        with self.assertRaises(ValueError):
            read_exported(out)

    def test_parity_fixture_is_small_and_self_consistent(self):
        out = os.path.join(self.tmp, 'export-fx')
        progan_export.export(self.run_dir, out)
        fx = make_fixture(out)
        self.assertLess(len(json.dumps(fx, separators=(',', ':'))), 20_000)
        self.assertEqual([c['level'] for c in fx['cases']][:5], list(RESOLUTIONS))
        self.assertTrue(any(c['alpha'] == 0.5 for c in fx['cases']))


class Units(unittest.TestCase):
    def test_schedule(self):
        cfg = get_config('cpu')
        self.assertEqual(phases(cfg)[0][:2], (0, 'stab'))
        self.assertEqual(locate(cfg, 0)['alpha'], 1.0)
        fade8 = cfg['stab'][0] + cfg['fade'][1] // 2
        self.assertAlmostEqual(locate(cfg, fade8)['alpha'], 0.5)
        self.assertIsNone(locate(cfg, total_images(cfg)))
        shorter = get_config('cpu', stab=(cfg['stab'][0], 1000, 1000, 1000, 1000))
        self.assertIsNone(schedule_change_problem(cfg, shorter, fade8))
        self.assertIsNotNone(schedule_change_problem(cfg, get_config('cpu', stab=(1, 1, 1, 1, 1)), fade8))
        with self.assertRaises(ValueError):
            get_config('tiny', fade=(0, 1))

    def test_models_shapes_and_fade_endpoints(self):
        G, D = Generator(512, (16, 16, 8, 8, 8)), Discriminator((16, 16, 8, 8, 8))
        z = torch.randn(4, 512)
        for lvl, r in enumerate(RESOLUTIONS):
            x = G(z, lvl, 0.3)
            self.assertEqual(tuple(x.shape), (4, 3, r, r))
            self.assertEqual(tuple(D(x, lvl, 0.3).shape), (4, 1))
        with torch.no_grad():  # alpha=0 at level L is exactly the upsampled level L-1 output
            up = torch.nn.functional.interpolate(G(z, 2), scale_factor=2, mode='nearest')
            self.assertTrue(torch.allclose(G(z, 3, 0.0), up, atol=1e-6))

    def test_data_readers(self):
        d = resolve_data_dir(None)
        x = load_faces64(d, 'test', limit=12, seed=3)
        self.assertEqual((x.shape, x.dtype), ((12, 64, 64, 3), np.uint8))
        self.assertTrue(np.array_equal(x, load_faces64(d, 'test', limit=12, seed=3)))
        t = read_tar_shards(tar_shards_for(d, 'faces128', 'test'), limit=4, seed=3)
        self.assertEqual(t.shape, (4, 128, 128, 3))
        b1, b2 = Batches(x, seed=1), Batches(x, seed=1)
        for _ in range(4):  # crosses an epoch boundary
            self.assertTrue(np.array_equal(b1.next(5), b2.next(5)))
        b3 = Batches(x, seed=1)
        b3.load_state_dict(json.loads(json.dumps(b1.state_dict())))
        self.assertTrue(np.array_equal(b1.next(5), b3.next(5)))


if __name__ == '__main__':
    unittest.main()
