"""Writes testnet.safetensors: the state dict of the PyTorch twin of tests/.../NN/TestNet.cs after one training-mode
forward (so the norm layers' running statistics and batch counters have moved), the input, and the outputs of that
training-mode forward and of an evaluation-mode forward. The layout follows the safetensors format (written by hand:
torch 1.13 has no safetensors package). Run with /usr/bin/python3 from this folder."""
import json
import struct
from collections import OrderedDict

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(1))
        self.register_buffer("steps", torch.zeros(1))
        self.encoder = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.InstanceNorm2d(4, affine=True, track_running_stats=True),
                                     nn.LeakyReLU(0.2), nn.Conv2d(4, 8, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.decoder = nn.Sequential(OrderedDict([("up", nn.ConvTranspose2d(8, 4, 4, 2, 1)), ("norm", nn.LayerNorm([4, 8, 8])),
                                                  ("out", nn.Conv2d(4, 1, 1)), ("act", nn.Tanh())]))
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        return self.head(self.decoder(self.encoder(x)).reshape(x.shape[0], 64)) * self.scale


torch.manual_seed(0)
net = Net()
with torch.no_grad():
    net.scale.fill_(1.5)
    net.decoder.norm.weight.uniform_(0.5, 1.5)
    net.decoder.norm.bias.uniform_(-0.5, 0.5)
initial = {k: v.clone() for k, v in net.state_dict().items()}
x = torch.randn(3, 1, 8, 8)
with torch.no_grad():
    train_out = net.train()(x)
    eval_out = net.eval()(x)

tensors = {"initial." + k: v for k, v in initial.items()}
tensors.update({"trained." + k: v for k, v in net.state_dict().items()})
tensors.update({"input": x, "train_output": train_out, "eval_output": eval_out})
names = {torch.float32: "F32", torch.int64: "I64"}
header, blobs, offset = {}, [], 0
for name in sorted(tensors):
    data = tensors[name].contiguous().numpy().tobytes()
    header[name] = {"dtype": names[tensors[name].dtype], "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
encoded += b" " * ((8 - len(encoded) % 8) % 8)
with open("testnet.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(encoded)))
    f.write(encoded)
    f.write(b"".join(blobs))
