"""What the three PyTorch twins of the Java examples share: options, data files, normalisation, augmentation and
the training loop of tapegrad's Model.fit, timed as the Java examples time it.

The twins (mnist_mlp.py, mnist_cnn.py, lenet5_cifar10.py beside this file) take the networks from ../peers.py, so the
peer step benchmarks and these whole trainings run the same PyTorch modules. Everything is FLOAT32 on the CPU with
torch.set_num_threads(2) unless --threads says otherwise. The random streams (initialisation, dropout, shuffling,
augmentation) are PyTorch's, seeded from --seed the way the Java splits its java.util.Random seeds (seed for the
network and the shuffle, seed + 1 and seed + 2 for the augmentations): same seed, same run, but not the Java's numbers.
"""
import argparse
import gzip
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from peers import NETWORKS    # noqa: E402  (the networks of the peer benchmarks, one definition of each)

REPO = Path(__file__).resolve().parents[3]
DATA = Path(os.path.normpath(REPO / ".." / "shared" / "data"))


def options(name, epochs, limit_help, extra=None):
    """The parsed command line of example `name`: --epochs (default `epochs`), --limit, --data, --seed, --threads,
    and whatever `extra(parser)` adds; sets the thread count and the seed of torch's global generator."""
    p = argparse.ArgumentParser(prog=name, description=f"PyTorch eager twin of tapegrad's `examples/run {name}`.")
    p.add_argument("--epochs", type=int, default=epochs, help=f"epochs (default {epochs})")
    p.add_argument("--limit", type=int, default=0, help=limit_help)
    p.add_argument("--data", type=Path, default=DATA, help=f"the shared data directory (default {DATA})")
    p.add_argument("--seed", type=int, default=1, help="seed of initialisation, dropout, shuffling and augmentation (default 1)")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    if extra:
        extra(p)
    o = p.parse_args()
    if o.epochs <= 0 or o.limit < 0 or o.threads <= 0:
        p.error(f"--epochs {o.epochs} and --threads {o.threads} must be positive and --limit {o.limit} not negative")
    torch.set_num_threads(o.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(o.seed)
    return o


def network(name):
    """The peer benchmarks' network `name` and its optimizer class and learning rate (Adam, 1e-3 for the examples)."""
    return NETWORKS[name]()


# ---- data, as dev.tapegrad.nn.data.Datasets reads it: FLOAT32 images in [0, 1], int64 labels

def _idx(path):
    """An IDX file (gzip) as a numpy array of unsigned bytes with its shape."""
    raw = gzip.open(path).read()
    if raw[:2] != b"\0\0" or raw[2] != 0x08:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    rank = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank))
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * rank).reshape(shape)


def mnist(data, train, flat):
    """MNIST's 60,000 training or 10,000 test images, [N, 784] when `flat` else [N, 1, 28, 28], and labels [N]."""
    prefix, folder = ("train" if train else "t10k"), data / "mnist"
    images, labels = _idx(folder / f"{prefix}-images-idx3-ubyte.gz"), _idx(folder / f"{prefix}-labels-idx1-ubyte.gz")
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255))
    return x.reshape(len(x), -1) if flat else x.unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


def cifar10(data, *files):
    """CIFAR-10 binary records (a label byte, then 1,024 red, green and blue bytes) of `files` under data/cifar10,
    concatenated: images [N, 3, 32, 32] in [0, 1] and labels [N]."""
    raw = np.concatenate([np.fromfile(data / "cifar10" / f, np.uint8) for f in files])
    if raw.size % 3073:
        raise SystemExit(f"cifar10: {raw.size} bytes of {files} are not whole records of 3073")
    records = raw.reshape(-1, 3073)
    x = torch.from_numpy(records[:, 1:].astype(np.float32) / np.float32(255)).reshape(-1, 3, 32, 32)
    return x, torch.from_numpy(records[:, 0].astype(np.int64))


def standardize(train, test, axes):
    """`train` and `test` as (x - mean) / std with the training images' mean and biased deviation over `axes`
    (all for one pixel statistic, (0, 2, 3) per channel), computed in float64, applied in float32; also the mean, std."""
    x = train.double()
    mean = x.mean(dim=axes, keepdim=True)
    std = (x - mean).square().mean(dim=axes, keepdim=True).sqrt()
    mean, std = mean.float(), std.float()
    return (train - mean) / std, (test - mean) / std, mean, std


# ---- augmentation, as dev.tapegrad.nn.data.Augmented: applied to each training batch after it is gathered

def random_shift(max_shift, fill, generator):
    """Each image of a batch ([B, H*W] square, or [B, C, H, W]) moved by whole pixels dy, dx uniform in
    [-max_shift, max_shift], the uncovered pixels set to `fill`: out(y, x) = in(y - dy, x - dx)."""
    def shift(x):
        images = x if x.dim() == 4 else x.reshape(len(x), 1, math.isqrt(x.size(1)), -1)
        b, _, h, w = images.shape
        d = torch.randint(-max_shift, max_shift + 1, (2, b), generator=generator)
        padded = F.pad(images, (max_shift,) * 4, value=fill)
        rows = (torch.arange(h) + max_shift - d[0, :, None])[:, None, :, None]    # [B, 1, H, 1]
        cols = (torch.arange(w) + max_shift - d[1, :, None])[:, None, None, :]    # [B, 1, 1, W]
        out = padded[torch.arange(b)[:, None, None, None], torch.arange(images.size(1))[None, :, None, None], rows, cols]
        return out.reshape(x.shape)
    return shift


def random_horizontal_flip(generator):
    """Each image of a batch [B, C, H, W] mirrored left-right with probability 1/2."""
    def flip(x):
        mirrored = torch.rand(len(x), generator=generator) < 0.5
        return torch.where(mirrored[:, None, None, None], x.flip(3), x)
    return flip


def both(first, second):
    return lambda x: second(first(x))


# ---- Model.fit and Model.evaluate

def evaluate(net, x, y, batch):
    """Mean cross entropy and accuracy over (x, y) in batches of `batch`, eval mode, nothing recorded (Model.evaluate)."""
    was_training = net.training
    net.eval()
    loss_sum = correct = 0.0
    with torch.inference_mode():
        for i in range(0, len(x), batch):
            out, t = net(x[i:i + batch]), y[i:i + batch]
            loss_sum += F.cross_entropy(out, t).item() * len(t)
            correct += (out.argmax(1) == t).float().mean().item() * len(t)
    net.train(was_training)
    return loss_sum / len(x), correct / len(x)


def fit(net, optimizer, lr, train, validation, epochs, batch, seed, augment=None):
    """Model.fit with LearningRateScheduler(LrSchedule.cosine(epochs, 0)): each epoch sets the rate to
    lr (1 + cos(pi e / epochs)) / 2, trains in training mode on a new shuffle of `train` (x, y) in batches of `batch`
    (the last one short), each batch gathered, augmented, stepped (forward, mean cross entropy, backward, Adam),
    its loss and accuracy read back, then evaluates `validation` at the same batch size. Prints one line per epoch
    and returns the seconds of the whole call, as the Java examples time model.fit."""
    x, y = train
    shuffle = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = lr * (1 + math.cos(math.pi * epoch / epochs)) / 2
        net.train()
        epoch_start, loss_sum, correct = time.perf_counter(), 0.0, 0.0
        order = torch.randperm(len(x), generator=shuffle)
        for i in range(0, len(x), batch):
            idx = order[i:i + batch]
            inputs, targets = x[idx], y[idx]
            if augment:
                inputs = augment(inputs)
            optimizer.zero_grad(set_to_none=True)
            out = net(inputs)
            loss = F.cross_entropy(out, targets)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.detach().argmax(1) == targets).float().mean().item() * len(idx)
        val_loss, val_acc = evaluate(net, *validation, batch)
        print(f"epoch {epoch + 1}/{epochs}: loss {loss_sum / len(x):.4f} accuracy {correct / len(x):.4f} val_loss {val_loss:.4f} "
              f"val_accuracy {val_acc:.4f} lr {optimizer.param_groups[0]['lr']:.3g} ({time.perf_counter() - epoch_start:.1f} s)", flush=True)
    return time.perf_counter() - start


def header(name, train, test, extra=""):
    print(f"{name} (PyTorch {torch.__version__} eager, {torch.get_num_threads()} threads): {len(train[0])} training and "
          f"{len(test[0])} test images{extra}", flush=True)


def mnist_example(name, epochs, flat, final_batch, augmentation=None):
    """The MNIST examples (MnistMlp, MnistCnn with ImageTraining): the options; the training and test sets cut to
    --limit (N and N/6 images) and normalised with the training pixels' mean and deviation; the peer network `name`
    trained by `fit` (batch 64, the test set as validation), each training batch passed through
    `augmentation(normalised training images, seed)` when given; then the test set evaluated at `final_batch` and
    the RESULT line printed."""
    o = options(name, epochs, "train on the first N training images and test on the first N/6 test images (0: all)")
    train, test = mnist(o.data, True, flat), mnist(o.data, False, flat)
    if o.limit:
        train, test = tuple(a[:o.limit] for a in train), tuple(a[:max(o.limit // 6, 1)] for a in test)
    train_x, test_x, mean, std = standardize(train[0], test[0], tuple(range(train[0].dim())))
    header(name, train, test, f", pixel mean {mean.item():.4f} std {std.item():.4f}")
    net, optimizer, lr = network(name)
    print(net)
    augment = augmentation(train_x, o.seed) if augmentation else None
    seconds = fit(net, optimizer(net.parameters(), lr=lr), lr, (train_x, train[1]), (test_x, test[1]), o.epochs, 64, o.seed, augment)
    loss, accuracy = evaluate(net, test_x, test[1], final_batch)
    print(f"RESULT {name} test_accuracy={accuracy:.4f} test_loss={loss:.4f} epochs={o.epochs} train_seconds={seconds:.0f}")
