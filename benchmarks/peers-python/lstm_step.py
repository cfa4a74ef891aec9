"""The step of LstmStepBenchmark on PyTorch eager (CPU, 2 threads): 2-layer nn.LSTM(256, 256), x [64, 32, 256],
MSE against a random target, backward, SGD(lr=0.01), FLOAT32.

Run: /work/venv/bin/python benchmarks/peers-python/lstm_step.py [THREADS]   (default 2; prints the mean and each of
5 timed rounds of about 2 s, after 3 warm-up rounds, as JMH's settings in LstmStepBenchmark)
"""
import sys

import torch

from peer_timing import report_step

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
torch.manual_seed(1)
STEPS, BATCH, SIZE, LAYERS = 64, 32, 256, 2
lstm = torch.nn.LSTM(SIZE, SIZE, LAYERS)
opt = torch.optim.SGD(lstm.parameters(), lr=0.01)
x, target = torch.randn(STEPS, BATCH, SIZE), torch.randn(STEPS, BATCH, SIZE)


def step():
    opt.zero_grad(set_to_none=True)
    loss = torch.nn.functional.mse_loss(lstm(x)[0], target)
    loss.backward()
    opt.step()
    return loss.item()


report_step("LSTM step", step)
