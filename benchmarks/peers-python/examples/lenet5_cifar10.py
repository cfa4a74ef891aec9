"""PyTorch eager twin of `examples/run lenet5-cifar10` (examples/src/main/java/dev/tapegrad/examples/LeNet5Cifar10.java).

LeNet-5 (conv 3-6 5x5, ReLU, max pool, conv 6-16 5x5, ReLU, max pool, 400-120-84-10 with ReLU) on the 50,000 CIFAR-10
training images (data_batch_1..5), tested on the 1,000 available test images (test_batch_first1000.bin); with
--holdout trained on data_batch_1..4 and validated on data_batch_5. Inputs standardised per channel with the
training images' means and deviations; each training batch flipped left-right at random, then shifted by up to 2
pixels (filled with 0, the mean); Adam (lr 1e-3) with the rate cosine-annealed per epoch, cross entropy, batch 64,
20 epochs; shuffled each epoch; the validation (or test) set evaluated after each epoch (timed, as in the Java), the
test set once more at the end at batch 500 for the RESULT line.

    /work/venv/bin/python benchmarks/peers-python/examples/lenet5_cifar10.py [--epochs N] [--limit N] [--holdout]
                                                                             [--data DIR] [--seed S] [--threads T]
"""
import training as t

NAME = "lenet5-cifar10"
o = t.options(NAME, 20, "train on the first N training images only (0: all); the test set stays whole",
              lambda p: p.add_argument("--holdout", action="store_true",
                                       help="train on data_batch_1..4 and report data_batch_5 as a validation set"))
batches = [f"cifar-10-batches-bin/data_batch_{i}.bin" for i in range(1, 5 if o.holdout else 6)]
train, test = t.cifar10(o.data, *batches), t.cifar10(o.data, "test_batch_first1000.bin")
validation = t.cifar10(o.data, "cifar-10-batches-bin/data_batch_5.bin") if o.holdout else None
if o.limit:
    train = tuple(a[:o.limit] for a in train)
train_x, test_x, mean, std = t.standardize(train[0], test[0], (0, 2, 3))
t.header(NAME, train, test, f", channel means {mean.flatten().tolist()}")
test = (test_x, test[1])
if validation:
    validation = ((validation[0] - mean) / std, validation[1])
net, optimizer, lr = t.network("lenet5")
print(net)
augment = t.both(t.random_horizontal_flip(t.torch.Generator().manual_seed(o.seed + 1)),
                 t.random_shift(2, 0.0, t.torch.Generator().manual_seed(o.seed + 2)))
seconds = t.fit(net, optimizer(net.parameters(), lr=lr), lr, (train_x, train[1]), validation or test, o.epochs, 64, o.seed, augment)
accuracy = t.evaluate(net, *test, 500)[1]
held = f"validation_accuracy={t.evaluate(net, *validation, 500)[1]:.4f} validation_set=data_batch_5 " if validation else ""
print(f"RESULT {NAME} test_accuracy={accuracy:.4f} test_set=test_batch_first1000 {held}epochs={o.epochs} "
      f"train_images={len(train_x)} train_seconds={seconds:.0f}")
