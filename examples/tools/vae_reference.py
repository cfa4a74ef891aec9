"""PyTorch's examples/vae (main.py) with the same network, optimiser, batch and epochs as `examples/run vae`.

Prints the mean negative ELBO per test image after each epoch, computed as the PyTorch example does
(one sample of eps per image, summed BCE + KL divided by the test-set size). MNIST is read from the
IDX files of ../shared/data/mnist (no torchvision download). Run: /work/venv/bin/python examples/tools/vae_reference.py [MNIST_DIR [EPOCHS [THREADS [SEED]]]]
"""
import gzip, os, sys, time
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/data/mnist")
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
torch.manual_seed(int(sys.argv[4]) if len(sys.argv) > 4 else 1)


def images(name):
    with gzip.open(os.path.join(data, name)) as f:
        return torch.from_numpy(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255)


train, test = images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
        self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_function(recon, x, mu, logvar):
    bce = F.binary_cross_entropy(recon, x, reduction="sum")
    return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def negative_elbo(x):
    recon, mu, logvar = model(x)
    return loss_function(recon, x, mu, logvar)


model = VAE()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
start = time.time()
for epoch in range(1, epochs + 1):
    model.train()
    train_loss = 0.0
    for idx in torch.randperm(len(train)).split(128):
        x = train[idx]
        opt.zero_grad()
        loss = negative_elbo(x)
        loss.backward()
        train_loss += loss.item()
        opt.step()
    model.eval()
    with torch.no_grad():
        test_loss = sum(negative_elbo(x).item() for x in test.split(128)) / len(test)
    print(f"epoch {epoch} train_loss={train_loss / len(train):.4f} test_loss={test_loss:.4f} seconds={time.time() - start:.0f}", flush=True)
print(f"RESULT vae-pytorch test_loss={test_loss:.4f} epochs={epochs} train_seconds={time.time() - start:.0f}")
