"""One critic update of the `wgan-gp` example on PyTorch eager (CPU, FLOAT32, 2 threads by default): the Wasserstein
estimate on 64 real and 64 generated images and the gradient penalty (torch.autograd.grad with create_graph=True, then
the second derivative in the backward pass), Adam(1e-4, betas (0, 0.9)), as GanStepBenchmark.wganCriticStep; the
networks and the step are those of examples/tools/wgan_gp_torch.py, the whole training's twin.
Real images are random values in [-1, 1]: the time does not depend on them.

Run: /work/venv/bin/python benchmarks/peers-python/wgan_step.py [THREADS]   (prints the mean and each of 5 timed
rounds of about 2 s, after 3 warm-up rounds, as JMH's settings)
"""
import sys
from pathlib import Path

import torch

from peer_timing import report_step

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples" / "tools"))
from dcgan_torch import networks    # noqa: E402
from wgan_gp_torch import critic_network, critic_step, optimizer    # noqa: E402

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(1)
G, _ = networks()
critic = critic_network()
c_opt = optimizer(critic)
real = torch.rand(64, 1, 28, 28) * 2 - 1
report_step("WGAN-GP critic step", lambda: critic_step(G, critic, c_opt, real))
