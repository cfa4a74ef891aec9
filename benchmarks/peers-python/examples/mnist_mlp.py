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

NAME = "mnist-mlp"
o = t.options(NAME, 20, "train on the first N training images and test on the first N/6 test images (0: all)")
train, test = t.mnist(o.data, True, True), t.mnist(o.data, False, True)
if o.limit:
    train, test = tuple(a[:o.limit] for a in train), tuple(a[:max(o.limit // 6, 1)] for a in test)
train_x, test_x, mean, std = t.standardize(train[0], test[0], (0, 1))
t.header(NAME, train, test, f", pixel mean {mean.item():.4f} std {std.item():.4f}")
net, optimizer, lr = t.network(NAME)
print(net)
shift = t.random_shift(2, train_x.min().item(), t.torch.Generator().manual_seed(o.seed + 1))
seconds = t.fit(net, optimizer(net.parameters(), lr=lr), lr, (train_x, train[1]), (test_x, test[1]), o.epochs, 64, o.seed, shift)
loss, accuracy = t.evaluate(net, test_x, test[1], 1000)
print(f"RESULT {NAME} test_accuracy={accuracy:.4f} test_loss={loss:.4f} epochs={o.epochs} train_seconds={seconds:.0f}")
