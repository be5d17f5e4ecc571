"""Writes PyTorch forward passes of the Patch-GAN building blocks for the C# tests (Debian's python3-torch, 1.13).

Run from the repository root:  /usr/bin/python3 tools/patchgan/make_component_fixtures.py
Each block is transcribed here from the layer lists documented on the C# classes (AnomalyDetection.PatchGan.Components, in
src/AnomalyDetection.PatchGan/Components), with the same parameter names, so the C# test loads '<block>.state.<name>'
strictly into its own TorchSharp module, runs '<block>.input' and compares with '<block>.output'. This checks that the
C# blocks compose TorchSharp's layers as documented (instance normalisation is PyTorch's default: no affine
parameters, no running statistics).
"""
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "AnomalyDetection.PatchGan.Tests", "Fixtures", "components.safetensors")


class SelfAttention2d(nn.Module):
    def __init__(self, channels, reduction=8):
        super().__init__()
        keys = max(1, channels // reduction)
        self.query = nn.Conv2d(channels, keys, 1)
        self.key = nn.Conv2d(channels, keys, 1)
        self.value = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        n, c, h, w = x.shape
        q = self.query(x).reshape(n, -1, h * w).transpose(1, 2)
        k = self.key(x).reshape(n, -1, h * w)
        attention = torch.softmax(torch.bmm(q, k), dim=2)
        v = self.value(x).reshape(n, c, h * w)
        return self.gamma * torch.bmm(v, attention.transpose(1, 2)).reshape(n, c, h, w) + x


def down_block(cin, cout, first, stride=2):
    layers = [("conv", nn.Conv2d(cin, cout, 4, stride, 1, bias=first))]
    if not first:
        layers.append(("norm", nn.InstanceNorm2d(cout)))
    layers.append(("act", nn.LeakyReLU(0.2)))
    return nn.Sequential(OrderedDict(layers))


class UNet(nn.Module):
    def __init__(self, cin, cout, widths, attention):
        super().__init__()
        self.stages = len(widths)
        channels = cin
        for i, width in enumerate(widths):
            setattr(self, f"down{i}", down_block(channels, width, i == 0))
            channels = width
        self.attention = SelfAttention2d(channels) if attention else None
        for i in range(self.stages - 1, 0, -1):
            setattr(self, f"up{i}", nn.Sequential(OrderedDict([
                ("conv", nn.ConvTranspose2d(channels, widths[i - 1], 4, 2, 1, bias=False)),
                ("norm", nn.InstanceNorm2d(widths[i - 1])),
                ("act", nn.ReLU())])))
            channels = 2 * widths[i - 1]
        self.output = nn.Sequential(OrderedDict([("conv", nn.ConvTranspose2d(channels, cout, 4, 2, 1)), ("act", nn.Tanh())]))

    def forward(self, x):
        skips = []
        for i in range(self.stages):
            x = getattr(self, f"down{i}")(x)
            skips.append(x)
        if self.attention is not None:
            x = self.attention(x)
        for i in range(self.stages - 1, 0, -1):
            x = torch.cat([getattr(self, f"up{i}")(x), skips[i - 1]], 1)
        return self.output(x)


class CroppedPatchDiscriminator(nn.Module):
    def __init__(self, cin, patch, widths):
        super().__init__()
        self.patch = patch
        blocks, channels = [], cin
        for i, width in enumerate(widths):
            blocks.append(down_block(channels, width, i == 0))
            channels = width
        self.features = nn.Sequential(*blocks)
        final = patch >> len(widths)
        self.head = nn.Linear(channels * final * final, 1)

    def forward(self, x):
        n, c, h, w = x.shape
        p = self.patch
        patches = x.reshape(n, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5).reshape(-1, c, p, p)
        logits = self.head(self.features(patches).flatten(1))
        return logits.reshape(n, 1, h // p, w // p)


class PooledPatchGanDiscriminator(nn.Module):
    def __init__(self, cin, patch, widths):
        super().__init__()
        self.patch = patch
        layers, channels = [], cin
        for i, width in enumerate(widths):
            layers.append((str(i), down_block(channels, width, i == 0, stride=2 if i < len(widths) - 1 else 1)))
            channels = width
        layers.append(("logits", nn.Conv2d(channels, 1, 4, 1, 1)))
        self.body = nn.Sequential(OrderedDict(layers))

    def forward(self, x):
        logits = F.interpolate(self.body(x), size=x.shape[2:], mode="bilinear", align_corners=False)
        return F.avg_pool2d(logits, self.patch)


def record(tensors, name, module, x):
    with torch.no_grad():
        tensors[name + ".input"] = x
        tensors[name + ".output"] = module(x)
    tensors.update({f"{name}.state.{k}": v.clone() for k, v in module.state_dict().items()})


def main():
    torch.manual_seed(11)
    tensors = {}

    attention = SelfAttention2d(16)
    attention.gamma.data.fill_(0.7)
    record(tensors, "attention", attention, torch.randn(2, 16, 3, 4))

    unet = UNet(3, 3, [4, 8, 16], attention=True)
    unet.attention.gamma.data.fill_(0.5)
    record(tensors, "unet", unet, torch.rand(2, 3, 16, 16) * 2 - 1)

    record(tensors, "cropped", CroppedPatchDiscriminator(3, 8, [4, 8]), torch.rand(2, 3, 16, 24) * 2 - 1)
    record(tensors, "pooled", PooledPatchGanDiscriminator(1, 8, [4, 8, 16]), torch.rand(2, 1, 32, 32) * 2 - 1)

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    safetensors_io.save(OUT, tensors, {"generator": "tools/patchgan/make_component_fixtures.py", "torch": torch.__version__})
    print(f"wrote {len(tensors)} tensors to {OUT}")


if __name__ == "__main__":
    main()
