"""WGAN-GP losses with the epsilon-drift term (Karras et al. App. A.1; Gulrajani et al. 2017).

L_D = E[D(fake)] - E[D(real)] + lambda * E[(||grad_xhat D(xhat)||_2 - 1)^2] + eps_drift * E[D(real)^2]
L_G = -E[D(fake)]

Under torchrun (train/common/dist.py) D is the DistributedDataParallel critic and real/fake are
this rank's shard: each rank computes the penalty on its shard (the interpolation weights are
drawn for the global batch and sharded, as in one process), and DDP averages the gradients.
"""
import torch

from train.common import dist


def d_loss(D, real, fake, level, alpha, gp_lambda=10.0, drift=1e-3):
    """Returns (loss, parts dict of floats-as-tensors) for one critic step; `fake` is detached."""
    d_real = D(real, level, alpha)
    d_fake = D(fake, level, alpha)
    eps = dist.shard(torch.rand(real.shape[0] * dist.world_size(), 1, 1, 1, device=real.device))
    xhat = (eps * real + (1.0 - eps) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(D(xhat, level, alpha).sum(), xhat, create_graph=True)
    gp = (grad.flatten(1).norm(dim=1) - 1.0).pow(2).mean()
    wdist = d_real.mean() - d_fake.mean()
    loss = -wdist + gp_lambda * gp + drift * d_real.pow(2).mean()
    return loss, {'wdist': wdist.detach(), 'gp': gp.detach()}


def g_loss(D, fake, level, alpha):
    return -D(fake, level, alpha).mean()
