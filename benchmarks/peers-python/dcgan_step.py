"""One training iteration of the `dcgan` example on PyTorch eager (CPU, FLOAT32, 2 threads by default): the
discriminator's update on 64 real and 64 generated images, then the generator's, Adam(2e-4, betas (0.5, 0.999)),
binary cross entropy on logits, as in examples/.../Dcgan.java and Gan.step (and PyTorch's own DCGAN example).
Real images are random values in [-1, 1]: the time does not depend on them.

Run: /work/venv/bin/python benchmarks/peers-python/dcgan_step.py [THREADS]   (prints the mean and each of 5 timed
rounds of about 2 s, after 3 warm-up rounds, as JMH's settings)
"""
import statistics
import sys

import torch
from torch import nn

from peer_timing import measure

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(1)
BATCH, LATENT = 64, 100
G = nn.Sequential(nn.ConvTranspose2d(LATENT, 128, 7, 1, 0), nn.BatchNorm2d(128), nn.ReLU(),
                  nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                  nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
                  nn.Conv2d(128, 1, 7, 1, 0), nn.Flatten())
g_opt = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
d_opt = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()
real = torch.rand(BATCH, 1, 28, 28) * 2 - 1
ones, zeros = torch.ones(BATCH, 1), torch.zeros(BATCH, 1)


def step():
    fake = G(torch.randn(BATCH, LATENT, 1, 1))
    d_opt.zero_grad(set_to_none=True)
    d_loss = bce(D(real), ones) + bce(D(fake.detach()), zeros)
    d_loss.backward()
    d_opt.step()
    g_opt.zero_grad(set_to_none=True)
    g_loss = bce(D(fake), ones)
    g_loss.backward()
    g_opt.step()
    return g_loss.item()


rounds = [1e3 * r for r in measure(step, 3, 5, 2.0)]
print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: DCGAN step {statistics.mean(rounds):.2f} ms "
      f"(rounds {', '.join(f'{r:.2f}' for r in rounds)})")
