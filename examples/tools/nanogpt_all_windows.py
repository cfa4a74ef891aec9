"""Loss of a nanoGPT checkpoint over every non-overlapping context-long window of the validation text: the definition of
examples/run char-transformer's val_loss_all_windows, so that the two engines' models are compared on the same 1,742
windows instead of on 20 random batches each. Run from a nanoGPT checkout (it imports nanoGPT's model.py):
    cd NANOGPT && python .../nanogpt_all_windows.py out-shakespeare-char/ckpt.pt
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.getcwd())  # nanoGPT's model.py, from the checkout this runs in
from model import GPT, GPTConfig  # noqa: E402

torch.set_num_threads(2)
ck = torch.load(sys.argv[1] if len(sys.argv) > 1 else "out-shakespeare-char/ckpt.pt", map_location="cpu")
model = GPT(GPTConfig(**ck["model_args"]))
model.load_state_dict({k.removeprefix("_orig_mod."): v for k, v in ck["model"].items()})
model.eval()
val = torch.from_numpy(np.fromfile("data/shakespeare_char/val.bin", dtype=np.uint16).astype(np.int64))
T, B = model.config.block_size, 12  # the window is the model's context (64 in issue 10's configuration), 12 windows per forward pass
windows = (len(val) - 1) // T
x = torch.stack([val[i * T:(i + 1) * T] for i in range(windows)])
y = torch.stack([val[i * T + 1:(i + 1) * T + 1] for i in range(windows)])
with torch.no_grad():
    total = sum(F.cross_entropy(model(x[i:i + B], y[i:i + B])[0].view(-1, model.config.vocab_size), y[i:i + B].reshape(-1),
                                reduction="sum").item() for i in range(0, windows, B))
print(f"checkpoint of iteration {ck['iter_num']} (train.py's best 20-batch val loss {ck['best_val_loss']:.4f}): "
      f"loss over all {windows} validation windows {total / (windows * T):.4f}")
