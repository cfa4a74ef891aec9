"""PyTorch eager timing of TransformerStepBenchmark's step: one pre-norm TransformerEncoderLayer (d 128, 4 heads,
GELU feed-forward 512, dropout 0), batch 12 x 64 positions with the causal mask, FLOAT32; forward, MSE, backward,
SGD update. Two threads. Prints the mean and spread over 5 rounds of 2 s, after 3 warm-up rounds, like the JMH run.
    /work/venv/bin/python benchmarks/peers-python/transformer_step.py
"""
import statistics

import torch
import torch.nn.functional as F

from peer_timing import measure

torch.set_num_threads(2)
torch.manual_seed(1)
block = torch.nn.TransformerEncoderLayer(128, 4, 512, 0.0, "gelu", 1e-5, batch_first=True, norm_first=True)
sgd = torch.optim.SGD(block.parameters(), lr=0.01)
x, target = torch.randn(12, 64, 128), torch.randn(12, 64, 128)
mask = torch.nn.Transformer.generate_square_subsequent_mask(64)


def step():
    loss = F.mse_loss(block(x, src_mask=mask, is_causal=True), target)
    sgd.zero_grad(set_to_none=True)
    loss.backward()
    sgd.step()
    return loss.item()


rounds = [1e3 * r for r in measure(step, 3, 5, 2.0)]
print(f"RESULT transformer-step-torch ms_per_step={statistics.mean(rounds):.3f} stdev={statistics.stdev(rounds):.3f} rounds={rounds}")
