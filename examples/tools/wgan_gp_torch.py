"""The `wgan-gp` example's networks and training in PyTorch eager, to tell the method's sample quality from the engine's.

Same generator (Dcgan.java's) and critic (WganGp.java's: convolutions 1-64 and 64-128, 4x4 stride 2, LeakyReLU 0.2, a
dense 6272-1 score), PyTorch's default initialisation, images in [-1, 1], Adam 1e-4 with betas (0, 0.9) for both, batch
64; the critic minimises mean D(G(z)) - mean D(x) + 10 mean (||grad_x D(x_hat)|| - 1)^2 with x_hat = u x + (1 - u) G(z),
u ~ U[0, 1] per image, the gradient taken with create_graph=True; the generator minimises -mean D(G(z)) every 5th
iteration. With --ema D the samples come from an exponential moving average of the generator's weights with
TensorFlow's warm-up (decay min(D, (1 + t) / (10 + t)) at update t, 1-based, the first a copy), as ExponentialMovingAverage does.
Writes OUT/samples.safetensors (one tensor `samples`, [1000, 1, 28, 28] FLOAT32 in [0, 1], eval mode); score it with
the same classifier: `examples/run sample-quality --samples OUT/samples.safetensors`.
`benchmarks/peers-python/wgan_step.py` times `critic_step`.

Run: /work/venv/bin/python examples/tools/wgan_gp_torch.py [--epochs 20] [--threads 2] [--seed 1] [--ema 0.999] [--out out/wgan-gp-torch]
"""
import time

import torch
from torch import nn

from dcgan_torch import LATENT, Average, arguments, networks, save_samples, start

CRITIC_STEPS, PENALTY = 5, 10.0


def critic_network():
    """WganGp.java's critic: one score per image, no batch norm (the penalty treats the images independently)."""
    return nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.LeakyReLU(0.2),
                         nn.Flatten(), nn.Linear(128 * 7 * 7, 1))


def optimizer(module):
    """Adam 1e-4 with betas (0, 0.9), as in Gulrajani et al. and WganGp.java."""
    return torch.optim.Adam(module.parameters(), lr=1e-4, betas=(0.0, 0.9))


def gradient_penalty(critic, x_hat):
    """mean_i (||grad_x D(x_hat_i)||_2 - 1)^2, differentiable in the critic's parameters (Losses.gradientPenalty)."""
    x_hat = x_hat.requires_grad_(True)
    grad, = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    norm = (grad.reshape(len(grad), -1).square().sum(1) + 1e-12).sqrt()
    return (norm - 1).square().mean()


def critic_step(g, critic, c_opt, real):
    """One critic update on `real` images in [-1, 1]; returns the loss and the Wasserstein estimate."""
    b = len(real)
    with torch.no_grad():
        fake = g(torch.randn(b, LATENT, 1, 1))
    u = torch.rand(b, 1, 1, 1)
    x_hat = real * u + fake * (1 - u)
    wasserstein = critic(real).mean() - critic(fake).mean()
    loss = -wasserstein + PENALTY * gradient_penalty(critic, x_hat)
    c_opt.zero_grad(set_to_none=True)
    loss.backward(inputs=list(critic.parameters()))   # not x_hat's, as WganGp.step
    c_opt.step()
    return loss.item(), wasserstein.item()


def generator_step(g, critic, g_opt, b):
    """One generator update on -mean D(G(z)); returns the loss."""
    loss = -critic(g(torch.randn(b, LATENT, 1, 1))).mean()
    g_opt.zero_grad(set_to_none=True)
    loss.backward(inputs=list(g.parameters()))   # not the critic's
    g_opt.step()
    return loss.item()


def main():
    p = arguments(20, "out/wgan-gp-torch")
    p.add_argument("--ema", type=float, default=0.0)
    a = p.parse_args()
    train = start(a)
    g, _ = networks()
    critic = critic_network()
    g_opt, c_opt = optimizer(g), optimizer(critic)
    average = Average(g, a.ema) if a.ema > 0 else None
    began, iteration = time.time(), 0
    for epoch in range(a.epochs):
        order = torch.randperm(len(train))
        sums, counts = [0.0, 0.0, 0.0], [0, 0, 0]
        for i in range(0, len(train), 64):
            loss, w = critic_step(g, critic, c_opt, train[order[i:i + 64]] * 2 - 1)
            sums[0], sums[1], counts[0], counts[1] = sums[0] + loss, sums[1] + w, counts[0] + 1, counts[1] + 1
            if (iteration + 1) % CRITIC_STEPS == 0:
                sums[2], counts[2] = sums[2] + generator_step(g, critic, g_opt, 64), counts[2] + 1
                if average:
                    average.update(g)
            iteration += 1
        print(f"epoch {epoch + 1}/{a.epochs} critic={sums[0] / counts[0]:.4f} wasserstein_estimate={sums[1] / counts[1]:.4f} "
              f"generator={sums[2] / max(counts[2], 1):.4f} {time.time() - began:.0f}s", flush=True)
    seconds = time.time() - began
    path = save_samples(average.model if average else g, a.seed, a.out)
    print(f"RESULT wgan-gp-torch epochs={a.epochs} ema={a.ema} train_seconds={seconds:.0f} samples={path}")

if __name__ == "__main__":
    main()
