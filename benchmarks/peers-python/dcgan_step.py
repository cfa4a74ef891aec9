"""One training iteration of the `dcgan` example on PyTorch eager (CPU, FLOAT32, 2 threads by default): the
discriminator's update on 64 real and 64 generated images, then the generator's, Adam(2e-4, betas (0.5, 0.999)),
binary cross entropy on logits, as in examples/.../Dcgan.java and Gan.step (and PyTorch's own DCGAN example); the
networks and the step are those of examples/tools/dcgan_torch.py, the whole training's twin.
Real images are random values in [-1, 1]: the time does not depend on them.

Run: /work/venv/bin/python benchmarks/peers-python/dcgan_step.py [THREADS]   (prints the mean and each of 5 timed
rounds of about 2 s, after 3 warm-up rounds, as JMH's settings)
"""
import sys
from pathlib import Path

import torch

from peer_timing import report_step

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "tools"))
from dcgan_torch import networks, optimizer, train_step    # noqa: E402

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(1)
G, D = networks()
g_opt, d_opt = optimizer(G), optimizer(D)
real = torch.rand(64, 1, 28, 28) * 2 - 1
report_step("DCGAN step", lambda: train_step(G, D, g_opt, d_opt, real))
