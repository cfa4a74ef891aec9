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

NAME = "mnist-cnn"
o = t.options(NAME, 4, "train on the first N training images and test on the first N/6 test images (0: all)")
train, test = t.mnist(o.data, True, False), t.mnist(o.data, False, False)
if o.limit:
    train, test = tuple(a[:o.limit] for a in train), tuple(a[:max(o.limit // 6, 1)] for a in test)
train_x, test_x, mean, std = t.standardize(train[0], test[0], (0, 1, 2, 3))
t.header(NAME, train, test, f", pixel mean {mean.item():.4f} std {std.item():.4f}")
net, optimizer, lr = t.network(NAME)
print(net)
seconds = t.fit(net, optimizer(net.parameters(), lr=lr), lr, (train_x, train[1]), (test_x, test[1]), o.epochs, 64, o.seed)
loss, accuracy = t.evaluate(net, test_x, test[1], 500)
print(f"RESULT {NAME} test_accuracy={accuracy:.4f} test_loss={loss:.4f} epochs={o.epochs} train_seconds={seconds:.0f}")
