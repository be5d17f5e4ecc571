"""Writes a golden training run of a small conv net with PyTorch (Debian's python3-torch, 1.13).

Run from the repository root:  /usr/bin/python3 tools/golden/make_training_fixture.py
The net is an encoder-decoder (conv, instance norm, leaky ReLU, strided conv, ReLU, transposed conv, tanh) trained
for three Adam steps on an L1 + MSE reconstruction loss. The fixture holds the initial weights (init.<name>), the
input and target, the loss before each step (loss) and the weights after the last step (final.<name>). The C# test
loads the initial weights into the same network built from engine modules and must reproduce the losses and weights.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "AnomalyDetection.Tensors.Tests", "Fixtures", "training", "small_conv_net.safetensors")


def build():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, 1, 1, bias=False),  # instance norm cancels a bias: its true gradient is 0, and Adam would amplify rounding noise
        nn.InstanceNorm2d(4, affine=True),
        nn.LeakyReLU(0.2),
        nn.Conv2d(4, 8, 4, 2, 1, bias=False),
        nn.ReLU(),
        nn.ConvTranspose2d(8, 1, 4, 2, 1),
        nn.Tanh(),
    )


def main():
    torch.manual_seed(5)
    net = build()
    x = torch.rand(3, 1, 8, 8) * 2 - 1
    target = torch.rand(3, 1, 8, 8) * 2 - 1
    tensors = {"input": x, "target": target}
    tensors.update({"init." + k: v.clone() for k, v in net.state_dict().items()})
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2, betas=(0.5, 0.999))
    losses = []
    for _ in range(3):
        out = net(x)
        loss = F.l1_loss(out, target) + F.mse_loss(out, target)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    tensors["loss"] = torch.tensor(losses)
    tensors.update({"final." + k: v.clone() for k, v in net.state_dict().items()})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    safetensors_io.save(OUT, tensors, {"torch": torch.__version__})
    print("wrote", OUT, "losses", losses)


if __name__ == "__main__":
    main()
