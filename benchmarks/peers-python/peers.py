"""The peer benchmarks on PyTorch eager (CPU, 2 threads): the workloads of the Java peer benchmarks in
benchmarks/src/peers/java (PeerMatMulBenchmark, PeerStepBenchmark, PeerExampleBenchmark, PeerOverheadBenchmark) and
of benchmarks/src/main/java/dev/tapegrad/benchmarks/Workloads.java, with the same shapes, dtypes, data (java.util.Random
replayed), JMH warm-up and measurement settings, written as JMH's JSON results with the parameter engine=pytorch-eager.
benchmarks/run-peers runs it and merges the figures into its table.

    python peers.py [REGEX ...] [-e REGEX] [-p NAME=V1,V2] [-wi N] [-i N] [-w TIME] [-r TIME] [--quick]
                    [--threads N] [--out FILE] [-l]

The options are JMH's, read as JMH reads them: REGEX selects benchmarks by their full Java name (default: all),
-e excludes, -p replaces a parameter's values, -wi/-i/-w/-r override the warm-up and measurement rounds (TIME as
1s, 500ms); JMH's other options (-f, -prof, -rf, ...) are accepted and ignored. --quick makes the rounds short
(1 warm-up, 2 measured, 0.2 s each) for a sanity check, -l lists the benchmarks, --out writes the JSON (default:
none, the figures are printed either way).
"""
import itertools
import json
import math
import re
import sys
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_timing import JavaRandom, measure

ENGINE = "pytorch-eager"
PACKAGE = "dev.tapegrad.benchmarks.peers."
SGD_LR, ADAM_LR = 0.01, 1e-3    # Workloads.LEARNING_RATE, Workloads.ADAM_LEARNING_RATE
OPS = 10_000                    # PeerOverheadBenchmark.OPS


@dataclass
class Benchmark:
    """One JMH benchmark method: its name, unit, @Warmup/@Measurement (rounds, seconds) and @Param values."""
    name: str
    unit: str
    warmup: tuple
    measurement: tuple
    params: dict
    make: Callable    # params -> the work to time


# ---- the workloads

def matmul(p):
    """PeerMatMulBenchmark: C = A B, n x n, A and B standard normal; a new C each call, as matmul allocates."""
    n, dtype = int(p["n"]), {"FLOAT32": torch.float32, "FLOAT64": torch.float64}[p["dtype"]]
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(n, n, dtype=dtype, generator=g), torch.randn(n, n, dtype=dtype, generator=g)
    return lambda: torch.matmul(a, b)


SHAPES = {"cnn": (1, 28, 28), "mnist-cnn": (1, 28, 28), "lenet5": (3, 32, 32)}    # one example's; else (784,)


def inputs(model):
    """Workloads.inputs and Workloads.labels: the input tensor and the label tensor of a workload."""
    network, batch = model.rsplit("-", 1)
    shape = (int(batch), *SHAPES.get(network, (784,)))
    r = JavaRandom(1)
    x = torch.tensor([r.next_float() for _ in range(math.prod(shape))], dtype=torch.float32).reshape(shape)
    return x, torch.tensor(JavaRandom(2).ints(int(batch), 0, 10), dtype=torch.long)


def mnist_mlp():
    return nn.Sequential(nn.Linear(784, 392), nn.Sigmoid(), nn.Dropout(0.2), nn.Linear(392, 10))


NETWORKS = {    # network name -> (the network, its optimizer and learning rate), as in Workloads.tapegrad
    "mlp": lambda: (nn.Sequential(nn.Linear(784, 392), nn.ReLU(), nn.Linear(392, 10)), torch.optim.SGD, SGD_LR),
    "cnn": lambda: (nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                  nn.Linear(8 * 14 * 14, 10)), torch.optim.SGD, SGD_LR),
    "mnist-mlp": lambda: (mnist_mlp(), torch.optim.Adam, ADAM_LR),
    "mnist-cnn": lambda: (nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10)),
        torch.optim.Adam, ADAM_LR),
    "lenet5": lambda: (nn.Sequential(
        nn.Conv2d(3, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), torch.optim.Adam, ADAM_LR),
}


def step(p):
    """Workloads.tapegrad: a training step (forward, mean cross entropy, backward, the optimizer with PyTorch's
    defaults otherwise) in training mode; mnist-mlp-infer-1000 is mnist-mlp's network in eval mode under
    torch.inference_mode, returning the sum of the logits."""
    model = p["model"]
    torch.manual_seed(1)
    x, labels = inputs(model)
    if model == "mnist-mlp-infer-1000":
        net = mnist_mlp().eval()

        def infer():
            with torch.inference_mode():
                return net(x).sum().item()
        return infer
    net, optimizer, lr = NETWORKS[model.rsplit("-", 1)[0]]()
    opt = optimizer(net.parameters(), lr=lr)

    def train():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), labels)
        loss.backward()
        opt.step()
        return loss.item()
    return train


def chain(x):
    """PeerOverheadBenchmark.chain: OPS operations on a 0-d FLOAT32 tensor (OPS / 2 multiply-adds)."""
    y = x
    for _ in range(OPS // 2):
        y = y.mul(0.999).add(0.001)
    return y


def forward_no_tape(p):
    return lambda: chain(torch.tensor(0.5)).item()


def forward_recorded(p):
    return lambda: chain(torch.tensor(0.5, requires_grad=True)).item()


def forward_and_backward(p):
    def work():
        x = torch.tensor(0.5, requires_grad=True)
        chain(x).backward()
        return x.grad.item()
    return work


SHORT, LONG = (3, 1.0), (3, 2.0)    # @Warmup of the Java classes; @Measurement has 5 rounds of the same time
BENCHMARKS = [
    Benchmark(PACKAGE + "PeerMatMulBenchmark.product", "us/op", SHORT, (5, 1.0),
              {"n": ["64", "128", "256", "512", "1024"], "dtype": ["FLOAT32", "FLOAT64"]}, matmul),
    Benchmark(PACKAGE + "PeerStepBenchmark.step", "ms/op", LONG, (5, 2.0), {"model": ["cnn-64", "mlp-64", "mlp-256"]}, step),
    Benchmark(PACKAGE + "PeerExampleBenchmark.run", "ms/op", LONG, (5, 2.0),
              {"model": ["mnist-mlp-64", "mnist-cnn-64", "lenet5-64", "mnist-mlp-infer-1000"]}, step),
    Benchmark(PACKAGE + "PeerOverheadBenchmark.forwardNoTape", "us/op", SHORT, (5, 1.0), {}, forward_no_tape),
    Benchmark(PACKAGE + "PeerOverheadBenchmark.forwardRecorded", "us/op", SHORT, (5, 1.0), {}, forward_recorded),
    Benchmark(PACKAGE + "PeerOverheadBenchmark.forwardAndBackward", "us/op", SHORT, (5, 1.0), {}, forward_and_backward),
]


# ---- JMH's command line

VALUE_OPTIONS = {"-f", "-t", "-tg", "-bm", "-tu", "-prof", "-rf", "-rff", "-jvm", "-jvmArgs", "-jvmArgsAppend",
                 "-jvmArgsPrepend", "-o", "-si", "-gc", "-foe", "-v", "-to", "-opi", "-bs", "-wbs", "-wf", "-wm",
                 "-wmb", "-syncIterations", "-otherFlags"}
LIST_OPTIONS = {"-l", "-lp", "-lprof", "-lrf", "-h"}
UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "m": 60.0, "hr": 3600.0}


def seconds(text):
    """A JMH time value ("1s", "500ms", "2") in seconds."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(ns|us|ms|s|min|m|hr)?", text)
    if not m:
        raise SystemExit(f"peers.py: time '{text}' is not a JMH time such as 1s or 500ms")
    return float(m.group(1)) * UNITS[m.group(2) or "s"]


def parse(argv):
    """The options as a dict: includes, excludes, params, wi, i, w, r, threads, out, quick, list."""
    o = {"includes": [], "excludes": [], "params": {}, "threads": 2, "out": None, "quick": False, "list": False}
    args = iter(argv)
    for a in args:
        def value():
            v = next(args, None)
            if v is None:
                raise SystemExit(f"peers.py: option {a} needs a value")
            return v
        if a in ("-wi", "-i"):
            o[a[1:]] = int(value())
            if o[a[1:]] < (1 if a == "-i" else 0):
                raise SystemExit(f"peers.py: {a} {o[a[1:]]}: needs at least {1 if a == '-i' else 0} rounds")
        elif a in ("-w", "-r"):
            o[a[1:]] = seconds(value())
        elif a == "-p":
            name, _, values = value().partition("=")
            if not name or not values:
                raise SystemExit(f"peers.py: -p needs NAME=V1,V2,..., not '{name}={values}'")
            o["params"][name] = values.split(",")
        elif a == "-e":
            o["excludes"].append(value())
        elif a == "--threads":
            o["threads"] = int(value())
        elif a == "--out":
            o["out"] = value()
        elif a == "--quick":
            o["quick"] = True
        elif a in LIST_OPTIONS:
            o["list"] = True
        elif a in VALUE_OPTIONS:
            value()
        elif a.startswith("-"):
            raise SystemExit(f"peers.py: unknown option {a} (see the docstring; JMH's options are accepted)")
        else:
            o["includes"].append(a)
    return o


def selected(o):
    """(benchmark, params) pairs to run, in order, after the regexes and -p (params in JMH's sorted key order)."""
    wanted = o["params"].get("engine")
    if wanted is not None and ENGINE not in wanted:
        return []
    out = []
    for b in BENCHMARKS:
        if o["includes"] and not any(re.search(r, b.name) for r in o["includes"]):
            continue
        if any(re.search(r, b.name) for r in o["excludes"]):
            continue
        names = sorted(b.params)
        values = [o["params"].get(n, b.params[n]) for n in names]
        out += [(b, dict(zip(names, combo))) for combo in itertools.product(*values)]
    return out


def record(b, p, warmup, measurement, rounds):
    """One result in the shape of JMH's JSON (-rf json); the score error is left to the reader of rawData."""
    scale = {"us/op": 1e6, "ms/op": 1e3}[b.unit]
    raw = [r * scale for r in rounds]
    return {"benchmark": b.name, "mode": "avgt", "threads": 1, "forks": 1,
            "engineVersion": f"PyTorch {torch.__version__} eager, {torch.get_num_threads()} threads",
            "warmupIterations": warmup[0], "warmupTime": f"{warmup[1]:g} s",
            "measurementIterations": measurement[0], "measurementTime": f"{measurement[1]:g} s",
            "params": {**p, "engine": ENGINE},
            "primaryMetric": {"score": sum(raw) / len(raw), "scoreUnit": b.unit, "rawData": [raw]},
            "secondaryMetrics": {}}


def main(argv):
    o = parse(argv)
    runs = selected(o)
    if o["list"]:
        for b, p in runs:
            print(b.name, " ".join(f"{k}={v}" for k, v in p.items()))
        return
    torch.set_num_threads(o["threads"])
    torch.set_num_interop_threads(1)
    results = []
    for b, p in runs:
        q = o["quick"]
        warmup = (o.get("wi", 1 if q else b.warmup[0]), o.get("w", 0.2 if q else b.warmup[1]))
        measurement = (o.get("i", 2 if q else b.measurement[0]), o.get("r", 0.2 if q else b.measurement[1]))
        rounds = measure(b.make(p), warmup[0], measurement[0], measurement[1], warmup[1])
        r = record(b, p, warmup, measurement, rounds)
        results.append(r)
        print(" ".join([b.name.removeprefix(PACKAGE), *(f"{k}={v}" for k, v in p.items())]) + ": "
              f"{r['primaryMetric']['score']:.4g} {b.unit} (rounds {', '.join(f'{x:.4g}' for x in r['primaryMetric']['rawData'][0])})",
              flush=True)
    if o["out"]:
        with open(o["out"], "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
