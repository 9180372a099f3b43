"""Data-parallel training over several processes (torchrun), shared by every trainer in train/.

  torchrun --standalone --nproc_per_node 2 -m train.progan.train --config tiny --out /tmp/p2
  python3 -m torch.distributed.run --standalone --nproc_per_node 2 -m train.progan.train ...  # the same

Without torchrun's environment (WORLD_SIZE unset or 1) every function here is a no-op and a
trainer runs as the plain single process it always was (bit-identical). With N processes:
  * one process group: nccl on CUDA (process k trains on cuda:LOCAL_RANK), gloo on CPU;
  * every process draws the same *global* batch from the same seeded streams (data order, flips,
    latents, noise, the gradient penalty's mixing weights) and keeps rows rank, rank + N, ...
    (`shard`): the N shards are the single-process batch, and the RNG / data-stream state stays
    identical on every rank, so a checkpoint resumes under any N (the global batch must divide by N);
  * the trained modules go through DistributedDataParallel (`wrap`): gradients are averaged over
    ranks, which for per-shard mean losses is the global batch's gradient. A WGAN-GP critic step
    runs its three forwards (real, fake, interpolates) and the penalty's autograd.grad through the
    DDP module, each rank on its shard; the generator step reads the critic unwrapped (frozen);
  * statistics over the batch are global-batch statistics: batch norm (`sync_batchnorm`, also on
    CPU/gloo where torch's SyncBatchNorm does not run) and progressive SR's minibatch stddev
    (`batch_mean`) reduce through a differentiable all-reduce. ProGAN's minibatch-stddev groups
    (4 samples strided across the batch) stay inside one rank under strided sharding when
    batch / N is a multiple of 4, so that math is the single-process one too;
  * reported losses are the mean over ranks of the per-shard means = the global-batch mean
    (`mean_losses`), and stop decisions (time limits, SIGTERM) are agreed by all ranks
    (`any_rank`), so no rank waits forever in a collective;
  * EMA weights, filmstrips and schedules are computed on every rank from the synchronised
    parameters (identical), and rank 0 alone writes checkpoints, run.json, exports and progress lines.
"""
import atexit
import os
import sys

import torch
import torch.distributed as tdist
import torch.nn as nn


def torchrun_command(nproc, log_dir=None):
    """argv prefix that starts `-m module ...` as nproc processes on this machine:
    `python3 -m torch.distributed.run --standalone --nproc_per_node N` (= torchrun). Debian's torch
    1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee value 0 (an enum change
    in 3.11; fixed in torch 2.x), so there it names 1 (stdout, teed to log_dir and the console)."""
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', str(nproc)]
    if torch.__version__.startswith('1.') and sys.version_info >= (3, 11):
        cmd += ['--redirects', '1', '--tee', '1'] + (['--log_dir', log_dir] if log_dir else [])
    return cmd


def requested_world():
    """The process count torchrun asked for (1 when not under torchrun)."""
    return int(os.environ.get('WORLD_SIZE', '1'))


def active():
    return tdist.is_available() and tdist.is_initialized() and tdist.get_world_size() > 1


def world_size():
    return tdist.get_world_size() if active() else 1


def rank():
    return tdist.get_rank() if active() else 0


def is_main():
    return rank() == 0


def _finish():
    if tdist.is_available() and tdist.is_initialized():
        tdist.destroy_process_group()


def init(device):
    """Join torchrun's process group when WORLD_SIZE > 1 (idempotent); -> the device this process
    trains on (cuda:LOCAL_RANK on CUDA). Processes other than rank 0 print nothing to stdout."""
    if requested_world() <= 1:
        return device
    if device.type == 'cuda':
        device = torch.device('cuda', int(os.environ.get('LOCAL_RANK', '0')))
        torch.cuda.set_device(device)
    if not tdist.is_initialized():
        tdist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')
        atexit.register(_finish)
        if tdist.get_rank() != 0:
            sys.stdout = open(os.devnull, 'w')  # progress lines from rank 0 only; errors still reach stderr
    return device


def _comm_device():
    return torch.device('cuda', torch.cuda.current_device()) if tdist.get_backend() == 'nccl' else torch.device('cpu')


def barrier():
    if active():
        if tdist.get_backend() == 'nccl':
            tdist.barrier(device_ids=[torch.cuda.current_device()])
        else:
            tdist.barrier()


def shard(x):
    """This rank's rows of a global batch (rows rank, rank + N, ...); the batch itself when alone."""
    n = world_size()
    if n == 1:
        return x
    if len(x) % n:
        raise ValueError(f'global batch {len(x)} does not divide among {n} processes')
    return x[rank()::n]


def mean_losses(losses):
    """{name: per-shard value} -> the mean over ranks (the global-batch mean for mean losses);
    int entries (counters, the same on every rank) stay ints."""
    if not active():
        return losses
    keys = list(losses)
    t = torch.tensor([float(losses[k]) for k in keys], dtype=torch.float64, device=_comm_device())
    tdist.all_reduce(t)
    vals = (t / world_size()).tolist()
    return {k: (int(round(v)) if isinstance(losses[k], int) else v) for k, v in zip(keys, vals)}


def any_rank(*flags):
    """Each flag OR-ed over ranks (one all-reduce), so every rank takes the same branch."""
    if not active():
        return list(flags)
    t = torch.tensor([1 if f else 0 for f in flags], dtype=torch.int32, device=_comm_device())
    tdist.all_reduce(t, op=tdist.ReduceOp.MAX)
    return [bool(v) for v in t.tolist()]


class _AllReduceSum(torch.autograd.Function):
    """Sum over ranks; its gradient is the sum over ranks of the incoming gradients (each rank's
    output feeds that rank's loss, and the global loss is their sum). Differentiable twice (the
    backward is this op again), as a gradient penalty through batch statistics needs."""

    @staticmethod
    def forward(ctx, x):
        y = x.clone(memory_format=torch.contiguous_format)
        tdist.all_reduce(y)
        return y

    @staticmethod
    def backward(ctx, g):
        return _AllReduceSum.apply(g)


def all_reduce_sum(x):
    return _AllReduceSum.apply(x) if active() else x


def batch_mean(x):
    """Mean over dim 0 of the global batch (differentiable); x.mean(0) when alone."""
    if not active():
        return x.mean(0)
    return all_reduce_sum(x.sum(0)) / (x.shape[0] * world_size())


class GlobalBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d whose training statistics are those of the global batch (all ranks), on any
    backend (torch's SyncBatchNorm is CUDA-only in 1.13). Same parameters, buffers and state-dict
    keys as BatchNorm2d; inference (eval) is BatchNorm2d's own."""

    def forward(self, x):
        if not (self.training and active()):
            return super().forward(x)
        n = x.numel() // x.shape[1] * world_size()
        mean = all_reduce_sum(x.sum((0, 2, 3))) / n
        xc = x - mean.view(1, -1, 1, 1)
        var = all_reduce_sum(xc.pow(2).sum((0, 2, 3))) / n  # biased, as batch norm normalises with
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                f = self.momentum if self.momentum is not None else 1.0 / float(self.num_batches_tracked)
                self.running_mean.mul_(1 - f).add_(mean.detach() * f)
                self.running_var.mul_(1 - f).add_(var.detach() * (f * n / max(n - 1, 1)))  # unbiased, as torch
        y = xc * torch.rsqrt(var + self.eps).view(1, -1, 1, 1)
        if self.affine:
            y = y * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)
        return y


def sync_batchnorm(module):
    """Replace every BatchNorm2d inside `module` (in place) by a GlobalBatchNorm2d holding the same
    parameter and buffer tensors, so optimisers, state dicts and exports are unchanged."""
    for name, child in module.named_children():
        if type(child) is nn.BatchNorm2d:
            new = GlobalBatchNorm2d(child.num_features, child.eps, child.momentum, child.affine,
                                    child.track_running_stats)
            if child.affine:
                new.weight, new.bias = child.weight, child.bias
            if child.track_running_stats:
                new.running_mean, new.running_var = child.running_mean, child.running_var
                new.num_batches_tracked = child.num_batches_tracked
            new.train(child.training)
            setattr(module, name, new)
        else:
            sync_batchnorm(child)
    return module


def wrap(module, find_unused=False):
    """The module to train through: DistributedDataParallel over the process group (batch norm
    made global first), or the module itself when alone. Parameters stay the module's own, so
    optimisers, EMA and checkpoints use the plain module. find_unused: the forward leaves some
    parameters out (progressive growing: only the current level's layers take part)."""
    if not active():
        return module
    sync_batchnorm(module)
    dev = next(module.parameters()).device
    return nn.parallel.DistributedDataParallel(
        module, device_ids=[dev.index] if dev.type == 'cuda' else None, broadcast_buffers=False,
        find_unused_parameters=find_unused)
