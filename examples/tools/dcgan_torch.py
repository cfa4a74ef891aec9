"""The `dcgan` example's network and training in PyTorch eager, to tell the architecture's sample quality from the engine's.

Same generator and discriminator (Dcgan.java), PyTorch's default initialisation, images scaled to [-1, 1], Adam 2e-4
with betas (0.5, 0.999) for both networks, batch 64, binary cross entropy on logits, the non-saturating generator
loss through the just-updated discriminator (Gan.step); by default, as the example, 12 epochs, the R1 penalty (gamma 1) on
the real images (--r1) and samples from the generator's weight average (--ema 0.999, with the example's warm-up);
--r1 0 --ema 0 --epochs 10 is the plain DCGAN. Writes OUT/samples.safetensors: one tensor `samples`,
[1000, 1, 28, 28] FLOAT32 in [0, 1], generated in eval mode (batch norm's running statistics), as the Java example does;
score it with the same classifier: `examples/run sample-quality --samples OUT/samples.safetensors`.
MNIST is read from the IDX files of ../shared/data/mnist. `benchmarks/peers-python/dcgan_step.py` times `train_step`.

Run: /work/venv/bin/python examples/tools/dcgan_torch.py [--epochs 12] [--threads 2] [--seed 1] [--width 64] [--r1 1] [--ema 0.999] [--out out/dcgan-torch]
"""
import argparse
import copy
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

LATENT = 100


def networks(width=64):
    """The generator ([N, 100, 1, 1] to [N, 1, 28, 28] in [-1, 1]) and the discriminator (one logit per image) of Dcgan.java."""
    g = nn.Sequential(nn.ConvTranspose2d(LATENT, 2 * width, 7, 1, 0), nn.BatchNorm2d(2 * width), nn.ReLU(),
                      nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
                      nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
                      nn.Conv2d(128, 1, 7, 1, 0), nn.Flatten())
    return g, d


def optimizer(module):
    """Adam 2e-4 with beta1 0.5 (Radford et al.), as Gan.optimizer."""
    return torch.optim.Adam(module.parameters(), lr=2e-4, betas=(0.5, 0.999))


BCE = nn.BCEWithLogitsLoss()


def train_step(g, d, g_opt, d_opt, real, r1=0.0):
    """One iteration on `real` images in [-1, 1]: the discriminator's update on them and on G(z) cut from the graph (with
    r1 > 0 plus the R1 penalty r1 / 2 mean_i ||grad_x sum_j D(x_j)||^2 over the real batch, as Gan.realScores), then the
    generator's on BCE(D(G(z)), 1) through the updated discriminator; returns both losses."""
    b = len(real)
    ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)
    fake = g(torch.randn(b, LATENT, 1, 1))
    d_opt.zero_grad(set_to_none=True)
    real = real.requires_grad_(True) if r1 > 0 else real
    scores = d(real)
    d_loss = BCE(scores, ones) + BCE(d(fake.detach()), zeros)
    if r1 > 0:
        grad, = torch.autograd.grad(scores.sum(), real, create_graph=True)
        d_loss = d_loss + r1 / 2 * grad.square().sum() / b
    d_loss.backward()
    d_opt.step()
    g_opt.zero_grad(set_to_none=True)
    g_loss = BCE(d(fake), ones)
    g_loss.backward(inputs=list(g.parameters()))   # not the discriminator's gradients, as Gan.step
    g_opt.step()
    return d_loss.item(), g_loss.item()


def arguments(epochs, out):
    """The options of both twins (this one and wgan_gp_torch.py)."""
    p = argparse.ArgumentParser()
    p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/mnist"))
    p.add_argument("--epochs", type=int, default=epochs)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", default=out)
    return p


def start(a):
    """Sets the thread count and seed of the parsed options `a` and returns MNIST's training images (mnist_train)."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    return mnist_train(a.data)


def mnist_train(data):
    """MNIST's 60,000 training images, [60000, 1, 28, 28] FLOAT32 in [0, 1], from the IDX file in `data`."""
    with gzip.open(os.path.join(data, "train-images-idx3-ubyte.gz")) as f:
        return torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)


class Average:
    """The generator's weights (and batch-norm statistics) averaged with TensorFlow's warm-up."""

    def __init__(self, g, decay):
        self.model, self.decay, self.n = copy.deepcopy(g), decay, 0

    @torch.no_grad()
    def update(self, g):
        d = 0.0 if self.n == 0 else min(self.decay, (2 + self.n) / (11 + self.n))   # the first update copies
        for a, p in zip(self.model.state_dict().values(), g.state_dict().values()):
            if a.dtype.is_floating_point:
                a.mul_(d).add_(p, alpha=1 - d)
            else:
                a.copy_(p)
        self.n += 1



def save_samples(g, seed, out):
    """1,000 samples of `g` in eval mode from the noise of `seed + 2`, in [0, 1], as OUT/samples.safetensors; returns its path."""
    g.eval()
    with torch.no_grad():
        samples = ((g(torch.randn(1000, LATENT, 1, 1, generator=torch.Generator().manual_seed(seed + 2))) + 1) / 2).float().contiguous()
    from safetensors.torch import save_file
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "samples.safetensors")
    save_file({"samples": samples}, path)
    return path


def main():
    p = arguments(12, "out/dcgan-torch")
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--r1", type=float, default=1.0)
    p.add_argument("--ema", type=float, default=0.999)
    a = p.parse_args()
    train = start(a)
    g, d = networks(a.width)
    g_opt, d_opt = optimizer(g), optimizer(d)
    average = Average(g, a.ema) if a.ema > 0 else None
    began = time.time()
    for epoch in range(a.epochs):
        order = torch.randperm(len(train))
        sums, steps = [0.0, 0.0], 0
        for i in range(0, len(train), 64):
            losses = train_step(g, d, g_opt, d_opt, train[order[i:i + 64]] * 2 - 1, a.r1)
            if average:
                average.update(g)
            sums, steps = [s + v for s, v in zip(sums, losses)], steps + 1
        print(f"epoch {epoch + 1}/{a.epochs} discriminator={sums[0] / steps:.4f} generator={sums[1] / steps:.4f} {time.time() - began:.0f}s", flush=True)
    seconds = time.time() - began
    path = save_samples(average.model if average else g, a.seed, a.out)
    print(f"RESULT dcgan-torch epochs={a.epochs} r1={a.r1} ema={a.ema} train_seconds={seconds:.0f} samples={path}")

if __name__ == "__main__":
    main()
