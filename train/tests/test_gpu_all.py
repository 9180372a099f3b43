"""train/gpu_all/ end to end on CPU with the tiny configs (~1 min): a first slice stops ProGAN
after one step and packs its checkpoint; the pack is unpacked into a fresh work directory (as a
session does between device calls) and a second slice resumes ProGAN and trains and exports every
model of the chain. Everything is written into temporary directories: static/weights and
test/fixtures are checked to be untouched."""
import json
import os
import shutil
import tempfile
import time
import unittest

from train.common.export import read_exported
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.gpu_all import STEPS, Chain, main
from train.gpu_all.pack import pack
from train.progan.configs import get_config, total_images
from train.tests.landmark_cache import fake_caches

EXPORTS = ['progan', 'heatmaps', 'degrader', 'low2high', 'low2high-bicubic', 'progressive-sr', 'progressive-sr-noatt',
           'srresnet-mse', 'srresnet-content', 'srgan', 'joint-sr', 'joint-sr-noblur', 'joint-sr-nolocal']


def snapshot(*roots):
    return {os.path.join(d, f): (os.path.getsize(os.path.join(d, f)), os.path.getmtime(os.path.join(d, f)))
            for r in roots for d, _, fs in os.walk(r) for f in fs}


def read_state(d):
    with open(os.path.join(d, 'state.json')) as f:
        return json.load(f)


class TinyChain(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='gpu-all-test-')
        j = lambda *p: os.path.join(cls.tmp, *p)  # noqa: E731
        cls.lm, cls.w1, cls.w2, cls.o1, cls.o2 = j('landmarks'), j('work1'), j('work2'), j('out1'), j('out2')
        fake_caches(cls.lm)
        cls.before = snapshot(WEIGHTS_DIR, FIXTURES_DIR)
        common = ['--config', 'tiny', '--landmarks', cls.lm, '--reserve-minutes', '0', '--log-every', '1000']
        t = time.time()
        cls.ok1 = main(common + ['--work', cls.w1, '--out', cls.o1, '--only', 'progan', '--run-minutes', '0'])
        cls.state1 = read_state(cls.o1)
        main(['unpack', '--config', 'tiny', '--work', cls.w2, '--from', cls.o1])
        # the whole tiny chain in one slice: ~1 min on a quiet machine, but 8-9 min when two training jobs hold
        # both cores (seen 2026-12-03), so the slice is longer than the device's 9 minutes
        cls.ok2 = main(common + ['--work', cls.w2, '--out', cls.o2, '--part-mb', '4', '--slice-minutes', '30'])
        cls.seconds = time.time() - t
        cls.state2 = read_state(cls.w2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_first_slice_stops_progan_and_packs_its_checkpoint(self):
        self.assertTrue(self.ok1)
        st = self.state1['steps']['progan']
        self.assertEqual((st['status'], st['finished']), ('training', False))
        self.assertTrue(all(s['status'] == 'pending' for k, s in self.state1['steps'].items() if k != 'progan'))
        self.assertTrue(os.path.isfile(os.path.join(self.w2, 'runs', 'progan', 'checkpoint.pt')))  # unpacked

    def test_second_slice_resumes_and_exports_the_whole_chain(self):
        self.assertTrue(self.ok2)
        self.assertTrue(self.state2['done'])
        self.assertEqual({k: s['status'] for k, s in self.state2['steps'].items()}, {s.name: 'done' for s in STEPS})
        self.assertEqual(self.state2['steps']['progan']['slices'], 2)
        with open(os.path.join(self.w2, 'log.txt')) as f:
            log = f.read()
        self.assertIn('resumed at 8 images', log)  # the first slice's step was not repeated
        with open(os.path.join(self.w2, 'runs', 'progan', 'run.json')) as f:
            run = json.load(f)
        self.assertEqual((run['images_seen'], run['finished']), (total_images(get_config('tiny')), True))
        for name in EXPORTS:
            mj, _ = read_exported(os.path.join(self.w2, 'weights', name))  # integrity-checked
            self.assertTrue(os.path.isfile(os.path.join(self.w2, 'weights', name, 'card.json')), name)
        for name in ('degrader', 'low2high', 'low2high-bicubic'):
            self.assertTrue(os.path.isfile(os.path.join(self.w2, 'weights', name, 'samples.png')), name)
        with open(os.path.join(self.w2, 'runs', 'progressive-sr', 'run.json')) as f:  # F_d = the student just trained
            self.assertIn(os.path.join(self.w2, 'weights', 'heatmaps'), json.load(f)['cfg']['heatmap_net'])
        self.assertEqual(sorted(os.listdir(os.path.join(self.w2, 'fixtures'))),
                         ['heatmaps-parity.json', 'joint-sr-noblur-parity.json', 'joint-sr-nolocal-parity.json',
                          'joint-sr-parity.json', 'progressive-sr-noatt-parity.json', 'progressive-sr-parity.json',
                          'srgan-parity.json', 'srresnet-content-parity.json', 'srresnet-mse-parity.json'])
        print(f'\n  tiny gpu_all chain (two slices): {self.seconds:.1f} s', flush=True)

    def test_out_holds_what_a_device_call_brings_back(self):
        for out in (self.o1, self.o2):
            names = sorted(os.listdir(out))
            self.assertLessEqual(len(names), 8)
            self.assertTrue({'state.json', 'log.txt', 'pack.tgz.000'} <= set(names), names)
            for n in names:
                self.assertLessEqual(os.path.getsize(os.path.join(out, n)), 16 << 20, n)
        parts = [n for n in os.listdir(self.o2) if n.startswith('pack.tgz.')]
        self.assertGreater(len(parts), 1)  # --part-mb 4 split it
        self.assertTrue(all(os.path.getsize(os.path.join(self.o2, n)) <= 4 << 20 for n in parts))
        # unpacked elsewhere, the parts give back this slice's exports byte for byte
        w3 = os.path.join(self.tmp, 'work3')
        main(['unpack', '--config', 'tiny', '--work', w3, '--from', self.o2])
        for name in EXPORTS:
            for f in os.listdir(os.path.join(self.w2, 'weights', name)):
                with open(os.path.join(self.w2, 'weights', name, f), 'rb') as a, \
                        open(os.path.join(w3, 'weights', name, f), 'rb') as b:
                    self.assertEqual(a.read(), b.read(), f'{name}/{f}')
        self.assertEqual(read_state(w3)['done'], True)

    def test_files_over_the_budget_stay_behind_and_are_listed(self):
        w4 = os.path.join(self.tmp, 'work4')
        shutil.copytree(self.w2, w4)
        chain = Chain(type('Args', (), {'config': 'tiny', 'work': w4, 'out_mb': 1, 'part_mb': 15, 'only': None})())
        with open(os.path.join(w4, 'log.txt'), 'a') as chain.log_file:
            pack(chain, os.path.join(self.tmp, 'out3'), since=0)  # everything, into 1 MiB
        left = read_state(os.path.join(self.tmp, 'out3'))['left_behind']
        self.assertIn(os.path.join('runs', 'progan', 'checkpoint.pt'), left)
        self.assertNotIn(os.path.join('weights', 'heatmaps', 'model.json'), left)  # small, needed files first

    def test_install_copies_exports_and_fixtures(self):
        to, fx = os.path.join(self.tmp, 'inst', 'weights'), os.path.join(self.tmp, 'inst', 'fixtures')
        done = main(['install', '--config', 'tiny', '--work', self.w2, '--to', to, '--fixtures', fx])
        self.assertEqual(sorted(done), sorted(EXPORTS))
        self.assertEqual(len(os.listdir(fx)), 9)
        self.assertTrue(main(['plan', '--config', 'tiny', '--work', self.w2]) == {})  # nothing left to carry

    def test_repository_weights_and_fixtures_untouched(self):
        self.assertEqual(snapshot(WEIGHTS_DIR, FIXTURES_DIR), self.before)


if __name__ == '__main__':
    unittest.main()
