"""The timing rule of the JMH benchmarks (Mode.AverageTime), for the PyTorch-eager scripts beside this file.

A round (JMH's iteration) calls the workload back to back until `seconds` have passed and yields the mean time of
one call; `warmups` rounds are run and dropped, then `rounds` rounds are measured. JMH runs each benchmark in a
fresh JVM; these scripts run each workload in one Python process, after its own warm-up.
"""
import time


def round_seconds(work, seconds):
    """Mean seconds per call of `work` over one round of about `seconds` (at least one call)."""
    n, start = 0, time.perf_counter()
    while True:
        work()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / n


def measure(work, warmups=3, rounds=5, seconds=2.0, warmup_seconds=None):
    """The measured rounds' mean seconds per call, after `warmups` dropped rounds of `warmup_seconds` (default:
    `seconds`): a list of `rounds` floats."""
    for _ in range(warmups):
        round_seconds(work, seconds if warmup_seconds is None else warmup_seconds)
    return [round_seconds(work, seconds) for _ in range(rounds)]


def report_step(name, work):
    """Measures `work` with JMH's step settings (3 x 2 s warm-up, 5 x 2 s measured) and prints the mean and each round in
    milliseconds, with torch's version and thread count."""
    import statistics
    import torch
    rounds = [1e3 * r for r in measure(work, 3, 5, 2.0)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads: {name} {statistics.mean(rounds):.2f} ms "
          f"(rounds {', '.join(f'{r:.2f}' for r in rounds)})")


class JavaRandom:
    """java.util.Random's generator (48-bit LCG), so that a script draws the same inputs as the Java benchmarks."""

    MULTIPLIER, MASK = 0x5DEECE66D, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULTIPLIER) & self.MASK

    def next_bits(self, bits):
        """Random.next(bits): the top `bits` bits of the advanced seed, as a signed 32-bit value when bits is 32."""
        self.seed = (self.seed * self.MULTIPLIER + 0xB) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if bits == 32 and r >= 1 << 31 else r

    def next_float(self):
        """Random.nextFloat(): uniform in [0, 1) with 24 random bits."""
        return self.next_bits(24) / (1 << 24)

    def ints(self, count, origin, bound):
        """Random.ints(count, origin, bound) for bound - origin not a power of two (JDK 17+ bounded rejection)."""
        n, out = bound - origin, []
        while len(out) < count:
            u = (self.next_bits(32) & 0xFFFFFFFF) >> 1
            while u - u % n + n - 1 >= 1 << 31:    # Java's `u + m - r < 0` overflow test
                u = (self.next_bits(32) & 0xFFFFFFFF) >> 1
            out.append(u % n + origin)
        return out
