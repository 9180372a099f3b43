"""The chain's steps in dependency order, what each reads besides the repository, and per-config sizes."""

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
    # 'face-net': face-api's recognition weights (node_modules is git-ignored: carry them by name)
    'srresnet-mse': FACES64 + ['faces/faces64-test.zip'],
    'srresnet-content': FACES64 + ['faces/faces64-test.zip', 'face-net'],
    'srgan': FACES64 + ['faces/faces64-test.zip', 'face-net'],
}
# joint SR + deblurring (paper 002): faces128 train with the landmark masks, test faces for the card and parity
JOINT = ['faces/manifest.json', 'faces/faces128-train-*.tar', 'faces/faces128-test-000.tar', 'landmarks', 'face-net']
DATA.update({'joint-sr': JOINT, 'joint-sr-noblur': JOINT, 'joint-sr-nolocal': JOINT})
FACE_NET_DIR = 'node_modules/@vladmandic/face-api/model'
FACE_NET_FILES = ['face_recognition_model-weights_manifest.json', 'face_recognition_model.bin']


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
    Step('srresnet-mse', 'train.srgan.train', ['--loss', 'mse'], exports=['srresnet-mse']),
    Step('srresnet-content', 'train.srgan.train', ['--loss', 'content'], needs=['srresnet-mse'], exports=['srresnet-content']),
    Step('srgan', 'train.srgan.train', ['--loss', 'gan'], needs=['srresnet-mse'], exports=['srgan']),
    Step('joint-sr', 'train.joint_sr.train', ['--variant', 'full'], exports=['joint-sr']),
    Step('joint-sr-noblur', 'train.joint_sr.train', ['--variant', 'noblur'], exports=['joint-sr-noblur']),
    Step('joint-sr-nolocal', 'train.joint_sr.train', ['--variant', 'nolocal'], exports=['joint-sr-nolocal']),
]
# steps whose generator starts from another step's run (its checkpoint is carried with them)
INIT_FROM = {'srresnet-content': 'srresnet-mse', 'srgan': 'srresnet-mse'}
BY_NAME = {s.name: s for s in STEPS}
