"""PyTorch eager twin of `examples/run mnist-mlp` (examples/src/main/java/dev/tapegrad/examples/MnistMlp.java).

784-392-10, sigmoid hidden layer, dropout 0.2 after it, on the 60,000 MNIST training images (flat), tested on the
10,000 test images; inputs normalised with the training pixels' mean and deviation; each training batch's images
shifted by up to 2 pixels (filled with the normalised black); Adam (lr 1e-3) with the rate cosine-annealed per epoch,
cross entropy, batch 64, 20 epochs; shuffled each epoch; the test set evaluated after each epoch (timed, as in the
Java) and once more at the end at batch 1,000 for the RESULT line.

    /work/venv/bin/python benchmarks/peers-python/examples/mnist_mlp.py [--epochs N] [--limit N] [--data DIR]
                                                                        [--seed S] [--threads T]
"""
import training as t

# the shifts fill with the normalised black, the training images' smallest value
t.mnist_example("mnist-mlp", 20, True, 1000,
                lambda x, seed: t.random_shift(2, x.min().item(), t.torch.Generator().manual_seed(seed + 1)))
