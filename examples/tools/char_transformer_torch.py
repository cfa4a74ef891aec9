"""PyTorch eager reference for examples/run char-transformer: the same model, data, schedule and evaluation.

nanoGPT's CPU configuration of train_shakespeare_char (4 layers, 4 heads, embedding 128, context 64, batch 12,
2,000 steps, AdamW 1e-3 with 100 warm-up steps and cosine decay to 1e-4, betas 0.9/0.99, weight decay 0.1 on the
matrices, clipping at norm 1, dropout 0, losses on 20 batches every 250 steps), built from PyTorch's own
TransformerEncoderLayer (pre-norm, GELU, causal mask) so that it is the same network as the Java example
(the layers' biases start at 0 and are not trained, which is nanoGPT's bias=False). Two threads by default, as on the benchmark machine:
    /work/venv/bin/python examples/tools/char_transformer_torch.py [--iters N] [--threads N] [--seed S] [--export DIR]
With --export DIR it writes DIR/init.safetensors (the initial weights, under the Java example's names) and
DIR/windows.safetensors (tensor `windows`, [iters, 12]: the start of every training window it draws), so that
`examples/run char-transformer --init DIR/init.safetensors --windows DIR/windows.safetensors` trains the same
steps from the same weights: the two engines' results then differ by floating-point rounding only.
"""
import argparse
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--iters", type=int, default=2000)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--seed", type=int, default=1337)
p.add_argument("--export", default=None)
p.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "tinyshakespeare", "input.txt"))
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

text = open(args.data, encoding="utf-8").read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train, val = data[:n], data[n:]
B, T, L, H, E, V = 12, 64, 4, 4, 128, len(chars)


drawn = []


def batch(d, record=False):
    ix = torch.randint(len(d) - T, (B,))
    if record:
        drawn.append(ix)
    return torch.stack([d[i:i + T] for i in ix]), torch.stack([d[i + 1:i + 1 + T] for i in ix])


class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(V, E)
        self.wpe = nn.Embedding(T, E)
        self.h = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 4 * E, 0.0, "gelu", 1e-5, True, True), L, nn.LayerNorm(E),
                                       enable_nested_tensor=False)
        for name, q in self.named_parameters():
            if q.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith(("out_proj.weight", "linear2.weight")) else 0.02
                nn.init.normal_(q, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(q)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(T))

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        return self.h(x, mask=self.mask[:idx.shape[1], :idx.shape[1]], is_causal=True) @ self.wte.weight.T


model = Gpt()
if args.export:
    from safetensors.torch import save_file
    os.makedirs(args.export, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items() if k != "mask"}, os.path.join(args.export, "init.safetensors"))
decay = [q for q in model.parameters() if q.dim() >= 2]
other = [q for n, q in model.named_parameters() if q.dim() < 2 and not n.endswith("bias")]  # biases stay 0: nanoGPT's bias=False
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.99))


def lr_at(it, warmup=100, lr=1e-3, min_lr=1e-4):
    if it < warmup:
        return lr * (it + 1) / warmup
    return min_lr + (lr - min_lr) * (1 + math.cos(math.pi * (it - warmup) / (args.iters - warmup))) / 2


@torch.no_grad()
def estimate(d):
    return sum(F.cross_entropy(model(x).view(-1, V), y.view(-1)).item() for x, y in (batch(d) for _ in range(20))) / 20


start = time.time()
for it in range(args.iters + 1):
    if it % 250 == 0 or it == args.iters:
        print(f"step {it}: train loss {estimate(train):.4f}, val loss {estimate(val):.4f} ({time.time() - start:.1f} s)", flush=True)
    if it == args.iters:
        break
    for g in opt.param_groups:
        g["lr"] = lr_at(it)
    x, y = batch(train, record=True)
    loss = F.cross_entropy(model(x).view(-1, V), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
seconds = time.time() - start
with torch.no_grad():
    windows = (len(val) - 1) // T
    x = torch.stack([val[i * T:(i + 1) * T] for i in range(windows)])
    y = torch.stack([val[i * T + 1:(i + 1) * T + 1] for i in range(windows)])
    all_windows = sum(F.cross_entropy(model(x[i:i + B]).view(-1, V), y[i:i + B].reshape(-1), reduction="sum").item()
                      for i in range(0, windows, B)) / (windows * T)
print(f"validation loss over all {windows} windows: {all_windows:.4f}")
if args.export:
    save_file({"windows": torch.stack(drawn)}, os.path.join(args.export, "windows.safetensors"))
print(f"RESULT char-transformer-torch iters={args.iters} train_seconds={seconds:.0f} ms_per_iter={1000 * seconds / args.iters:.1f}")
