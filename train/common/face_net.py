"""face-api's face-recognition network in PyTorch: a frozen feature space for content losses.

This is the identity network that ships in `@vladmandic/face-api` (a dlib-style ResNet-34 giving
128-D face descriptors on 150x150 crops), NOT VGG-19: VGG-19 is not available offline. Its
descriptors are also the feature space of srlab's FID-proxy (`src/lib/eval/faceFeatures.ts`,
`npm run eval:fid`), so a loss on `features(...)` and the FID-proxy look at faces with the same net.

Architecture, read from face-api's `src/faceRecognitionNet/` (FaceRecognitionNet.forwardInput,
convLayer.ts, residualLayer.ts, scaleLayer.ts):
  x (0..255 RGB) - mean RGB [122.782, 117.001, 104.298], / 255
  conv32_down: 7x7 stride 2 'valid' conv, relu; max-pool 3x3 stride 2 'valid'
  conv32_1..3, conv64_down, conv64_1..3, conv128_down, conv128_1..2, conv256_down, conv256_1..2,
  conv256_down_out: residual blocks of two 3x3 convs, each conv followed by a per-channel affine
  "scale" layer; `*_down` blocks run their first conv at stride 2 'valid', add a 2x2 average pool of
  the input zero-padded in channels, and zero-pad the conv branch by one row/column at the
  bottom/right when it is one smaller than the pool
  descriptor = mean over space of conv256_down_out, times fc [256, 128].
Each conv's bias and scale layer are folded into the conv (w*s, b*s + c): the same function, fewer ops.

Weights: `node_modules/@vladmandic/face-api/model/face_recognition_model-weights_manifest.json` +
`.bin`; most tensors are uint8-quantised and decoded as tfjs does (q * scale + min).
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from train.common.paths import REPO_ROOT

MODEL_DIR = os.path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api', 'model')
MANIFEST = 'face_recognition_model-weights_manifest.json'
MEAN_RGB = (122.782, 117.001, 104.298)
INPUT_SIZE = 150  # face-api's FaceRecognitionNet resizes every input to 150x150
DESCRIPTOR_DIM = 128

# (block, is_down) in forward order, grouped into the stages `features` can return
STAGES = (
    ('conv32', (('conv32_1', False), ('conv32_2', False), ('conv32_3', False))),
    ('conv64', (('conv64_down', True), ('conv64_1', False), ('conv64_2', False), ('conv64_3', False))),
    ('conv128', (('conv128_down', True), ('conv128_1', False), ('conv128_2', False))),
    ('conv256', (('conv256_down', True), ('conv256_1', False), ('conv256_2', False))),
    ('conv256_out', (('conv256_down_out', True),)),
)
FEATURE_LAYERS = tuple(name for name, _ in STAGES)
CHANNELS = {'conv32': 32, 'conv64': 64, 'conv128': 128, 'conv256': 256, 'conv256_out': 256}

_NP_DTYPES = {'float32': np.float32, 'int32': np.int32, 'uint8': np.uint8, 'uint16': np.uint16, 'float16': np.float16}


def read_face_api_weights(model_dir=None):
    """-> {name: float32 array} decoded from face-api's manifest + .bin the way tfjs's
    io.decodeWeights does (uint8/uint16: q * scale + min, computed in float64, stored float32)."""
    model_dir = model_dir or MODEL_DIR
    path = os.path.join(model_dir, MANIFEST)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"face-api's recognition weights are missing ({path}): run `npm ci` in {REPO_ROOT}")
    with open(path) as f:
        manifest = json.load(f)
    arrays = {}
    for group in manifest:
        buf = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        off = 0
        for spec in group['weights']:
            n = int(np.prod(spec['shape'])) if spec['shape'] else 1
            q = spec.get('quantization')
            dt = np.dtype(_NP_DTYPES[q['dtype'] if q else spec['dtype']])
            raw = np.frombuffer(buf, dt, n, off)
            off += n * dt.itemsize
            if q and q['dtype'] in ('uint8', 'uint16'):
                vals = raw.astype(np.float64) * q['scale'] + q['min']
            else:
                vals = raw
            arrays[spec['name']] = vals.astype(np.float32).reshape(spec['shape'])
        if off != len(buf):
            raise ValueError(f'{path}: manifest describes {off} bytes but the shards hold {len(buf)}')
    return arrays


class _Conv(nn.Module):
    """conv + bias + scale layer (folded) of face-api's convLayer; weights are frozen buffers."""

    def __init__(self, arrays, prefix, stride, padding):
        super().__init__()
        filters = arrays[f'{prefix}/conv/filters']  # HWIO (tfjs)
        s, c = arrays[f'{prefix}/scale/weights'], arrays[f'{prefix}/scale/biases']
        w = torch.from_numpy(filters.transpose(3, 2, 0, 1).copy()) * torch.from_numpy(s).view(-1, 1, 1, 1)
        b = torch.from_numpy(arrays[f'{prefix}/conv/bias']) * torch.from_numpy(s) + torch.from_numpy(c)
        self.register_buffer('weight', w.contiguous())
        self.register_buffer('bias', b)
        self.stride, self.padding = stride, padding

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding)


class _Residual(nn.Module):
    """face-api's residual / residualDown (residualLayer.ts)."""

    def __init__(self, arrays, prefix, down):
        super().__init__()
        self.down = down
        self.conv1 = _Conv(arrays, f'{prefix}/conv1', 2 if down else 1, 0 if down else 1)
        self.conv2 = _Conv(arrays, f'{prefix}/conv2', 1, 1)

    def forward(self, x):
        out = self.conv2(F.relu(self.conv1(x)))
        if not self.down:
            return F.relu(out + x)
        pooled = F.avg_pool2d(x, 2, 2)
        # the stride-2 'valid' conv is one smaller than the pool on even sizes: zeros at bottom/right
        out = F.pad(out, (0, pooled.shape[3] - out.shape[3], 0, pooled.shape[2] - out.shape[2]))
        pooled = F.pad(pooled, (0, 0, 0, 0, 0, out.shape[1] - pooled.shape[1]))  # zero channels
        return F.relu(out + pooled)


def feature_size(side, layer):
    """Spatial side of `layer`'s map for a side x side input (0 when the input is too small)."""
    s = (side - 7) // 2 + 1
    s = (s - 3) // 2 + 1 if s >= 3 else 0
    for name, blocks in STAGES:
        if any(down for _, down in blocks):
            s = s // 2 if s >= 3 else 0
        if name == layer:
            return max(s, 0)
    raise ValueError(f'unknown layer {layer!r}; layers: {", ".join(FEATURE_LAYERS)}')


def legacy_resize_bilinear(x, size):
    """tf.image.resizeBilinear(x, [size, size], alignCorners=false, halfPixelCenters=false), the
    call face-api's NetInput.toBatchTensor makes: source = dst * in/out (no half-pixel shift, so
    NOT torch's interpolate), neighbours floor / min(floor + 1, in - 1). x: NCHW; differentiable."""
    def axis(n_in):
        src = torch.arange(size, dtype=torch.float64) * (n_in / size)
        lo = src.floor().clamp(max=n_in - 1)
        frac = (src - lo).to(x.dtype).to(x.device)
        lo = lo.long().to(x.device)
        return lo, (lo + 1).clamp(max=n_in - 1), frac

    h_lo, h_hi, h_f = axis(x.shape[2])
    w_lo, w_hi, w_f = axis(x.shape[3])
    left, right = x[:, :, :, w_lo], x[:, :, :, w_hi]
    rows = left + (right - left) * w_f
    top, bottom = rows[:, :, h_lo, :], rows[:, :, h_hi, :]
    return top + (bottom - top) * h_f.view(-1, 1)


def pad_to_square(x):
    """face-api's padToSquare(img, isCenterImage=true): zeros (black in 0..255) on the short side,
    round(diff / 2) after the image and the rest before it. x: NCHW."""
    h, w = x.shape[2], x.shape[3]
    if h == w:
        return x
    diff = abs(h - w)
    after = int(math.floor(diff * 0.5 + 0.5))  # JavaScript's Math.round
    before = diff - after
    return F.pad(x, (before, after, 0, 0) if h > w else (0, 0, before, after))


class FaceNet(nn.Module):
    """face-api's face-recognition net (identity features, not VGG-19); frozen: buffers only, so an
    optimiser never sees its weights, yet gradients flow to the input."""

    def __init__(self, arrays):
        super().__init__()
        self.stem = _Conv(arrays, 'conv32_down', 2, 0)
        self.blocks = nn.ModuleDict()
        for _, blocks in STAGES:
            for prefix, down in blocks:
                self.blocks[prefix] = _Residual(arrays, prefix, down)
        self.register_buffer('fc', torch.from_numpy(arrays['fc']))  # [256, 128]
        self.register_buffer('mean', torch.tensor(MEAN_RGB).view(1, 3, 1, 1) / 255)

    def _normalise(self, x01):
        """[0, 1] RGB -> face-api's network input ((255 x - mean) / 255)."""
        return x01 - self.mean

    def _trunk(self, x, wanted):
        """Normalised input -> {stage: map} for the stages in `wanted` (stops after the deepest)."""
        deepest = max(FEATURE_LAYERS.index(w) for w in wanted)
        out = F.max_pool2d(F.relu(self.stem(x)), 3, 2)
        maps = {}
        for name, blocks in STAGES[:deepest + 1]:
            for prefix, _ in blocks:
                out = self.blocks[prefix](out)
            if name in wanted:
                maps[name] = out
        return maps

    def features(self, x, layers=('conv64',)):
        """x: NCHW RGB in [-1, 1] of any size (no 150 px resize: the caller picks the size) ->
        {layer: NCHW activation map} for layers among 'conv32', 'conv64', 'conv128', 'conv256',
        'conv256_out' (each stage's last residual block, after its ReLU). Differentiable w.r.t. x.
        Map sides: 64 px in -> 14, 7, 3, 1 (conv32..conv256); 128 px -> 30, 15, 7, 3."""
        layers = (layers,) if isinstance(layers, str) else tuple(layers)
        for layer in layers:
            if feature_size(min(x.shape[2], x.shape[3]), layer) < 1:
                raise ValueError(f'input {x.shape[2]}x{x.shape[3]} is too small for layer {layer!r}')
        return self._trunk(self._normalise((x + 1) * 0.5), layers)

    def to_net_input(self, x):
        """[-1, 1] NCHW of any size -> [0, 1] NCHW 150x150 the way face-api's toBatchTensor makes it
        (pad to square with black, centred; legacy bilinear resize)."""
        x255 = pad_to_square((x + 1) * 127.5)
        if x255.shape[2] != INPUT_SIZE:
            x255 = legacy_resize_bilinear(x255, INPUT_SIZE)
        return x255 / 255

    def descriptor(self, x):
        """x: NCHW RGB in [-1, 1], any size -> [N, 128] face-api descriptors (the FID-proxy's
        features). For face crops, as face-api's computeFaceDescriptor: no detection or alignment.
        Non-square inputs are padded as face-api pads them; the FID-proxy's own reader
        (faceFeatures.ts) stretches them instead, so the two agree on square crops only."""
        out = self._trunk(self._normalise(self.to_net_input(x)), ('conv256_out',))['conv256_out']
        return out.mean((2, 3)) @ self.fc


def load_face_net(device='cpu', model_dir=None):
    """-> FaceNet on `device`, eval mode, every tensor requires_grad=False. Reads face-api's weights
    from node_modules (FileNotFoundError naming `npm ci` when they are absent)."""
    net = FaceNet(read_face_api_weights(model_dir)).to(device).eval()
    for t in net.buffers():
        t.requires_grad_(False)
    return net
