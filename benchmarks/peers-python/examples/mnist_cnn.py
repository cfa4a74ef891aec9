"""PyTorch eager twin of `examples/run mnist-cnn` (examples/src/main/java/dev/tapegrad/examples/MnistCnn.java).

Two blocks of 3x3 convolution (32 then 64 channels, padding 1), batch norm, ReLU and 2x2 max pooling, then dropout
0.25, 3136-128 with ReLU, dropout 0.25 and 128-10, on the 60,000 MNIST training images [N, 1, 28, 28], tested on the
10,000 test images; inputs normalised with the training pixels' mean and deviation; no augmentation; Adam (lr 1e-3)
with the rate cosine-annealed per epoch, cross entropy, batch 64, 4 epochs; shuffled each epoch; the test set
evaluated after each epoch (timed, as in the Java) and once more at the end at batch 500 for the RESULT line.

    /work/venv/bin/python benchmarks/peers-python/examples/mnist_cnn.py [--epochs N] [--limit N] [--data DIR]
                                                                        [--seed S] [--threads T]
"""
import training as t

t.mnist_example("mnist-cnn", 4, False, 500)
