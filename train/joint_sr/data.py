"""Training and test data of joint face SR + deblurring (the joint spec):

HR = faces128 split faces (train: indices 0..3999, the landmark cache's rows), M = the face-region
mask of each face's cached landmarks (mask.py), and per step, per image, a seeded random flip (image
and mask together) and a motion-blur kernel (length ~ U[0, 16] HR px, angle ~ U[0, 180) deg);
I_HRB = blur(I_HR, k); I_LR = bicubic x1/8 of I_HRB, clamped to [-1, 1].
"""
import numpy as np
import torch

from train.common.data import load_faces128
from train.common.images import bicubic_down, to_float
from train.common.landmarks import read_prefix_cache
from train.common.paths import LANDMARK_DIR
from train.joint_sr.blur import blur_batch, draw_kernel_params, kernels_for
from train.joint_sr.mask import face_masks

SCALE = 8


def load_split(split='train', limit=None, data_dir=None, landmark_dir=LANDMARK_DIR):
    """-> (uint8 HR [N,128,128,3], uint8 masks [N,128,128]) for split indices 0..N-1 (N = the landmark
    cache's size, or `limit` if smaller)."""
    pts, _ = read_prefix_cache(landmark_dir, split)
    n = len(pts) if limit is None else min(limit, len(pts))
    hr, _ = load_faces128(data_dir, split, indices=list(range(n)))
    return hr, face_masks(pts[:n])


def degrade(hr, lengths, angles):
    """hr [N,3,128,128] in [-1,1] -> (I_HRB, I_LR [N,3,16,16]) with one motion kernel per image."""
    blurred = blur_batch(hr, kernels_for(lengths, angles).to(hr.device))
    return blurred, bicubic_down(blurred, SCALE)


class JointBatches:
    """Endless seeded epochs over (HR, mask) pairs with per-image flips and kernel parameters.
    State (epoch, position, order, rng) is a plain dict so a checkpoint resumes the exact stream."""

    def __init__(self, hr, masks, seed, length_max=16.0, angle_max=180.0):
        self.hr, self.masks = hr, masks
        self.length_max, self.angle_max = length_max, angle_max
        self.rng = np.random.default_rng(seed)
        self.epoch, self.pos = 0, 0
        self.order = self.rng.permutation(len(hr))

    def next(self, batch):
        """-> dict of numpy arrays: hr uint8 [B,128,128,3], mask uint8 [B,128,128], lengths, angles [B]."""
        idx = []
        while len(idx) < batch:
            if self.pos >= len(self.order):
                self.epoch, self.pos = self.epoch + 1, 0
                self.order = self.rng.permutation(len(self.hr))
            chunk = self.order[self.pos:self.pos + batch - len(idx)]
            idx.extend(chunk.tolist())
            self.pos += len(chunk)
        idx = np.array(idx)
        hr, mask = self.hr[idx], self.masks[idx]
        flip = self.rng.random(batch) < 0.5
        hr[flip] = hr[flip, :, ::-1]
        mask[flip] = mask[flip, :, ::-1]  # the mask of the mirrored landmarks is the mirrored mask
        lengths, angles = draw_kernel_params(self.rng, batch, self.length_max, self.angle_max)
        return {'hr': hr, 'mask': mask, 'lengths': lengths, 'angles': angles}

    def state_dict(self):
        return {'epoch': self.epoch, 'pos': self.pos, 'order': self.order.tolist(), 'rng': self.rng.bit_generator.state}

    def load_state_dict(self, s):
        self.epoch, self.pos = s['epoch'], s['pos']
        self.order = np.array(s['order'], dtype=np.int64)
        self.rng.bit_generator.state = s['rng']


def to_tensors(b, device):
    """A JointBatches batch -> (I_HR, I_HRB, I_LR, M [B,1,128,128] float) on device."""
    hr = to_float(b['hr'], device)
    blurred, lr = degrade(hr, b['lengths'], b['angles'])
    mask = torch.from_numpy(np.ascontiguousarray(b['mask'])).to(device).float().unsqueeze(1)
    return hr, blurred, lr, mask


def test_kernel_params(n, seed, length_max=16.0, angle_max=180.0):
    """Seeded kernels for evaluation (the cards): lengths U[0, length_max], angles U[0, angle_max)."""
    return draw_kernel_params(np.random.default_rng(seed), n, length_max, angle_max)
