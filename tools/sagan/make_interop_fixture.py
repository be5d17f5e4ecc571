"""Interop fixtures for the SAGAN checkpoint import/export (tests/AnomalyDetection.Sagan.Tests/Fixtures/interop/).

It builds a small generator with the parameter names and module layout of the SAGAN authors' training code
(github.com/zzr728/SAGAN, model.py: `layer1`, `enc_layer1`, `p_bn1`, `bn2`, `gate1.W_gate`, `dec_bn1.main/sc`,
`dec_layer1`, `up_conv1`, `bn3`, `conv`; affine instance norms that track running statistics), written here from
reading that layout, not copied. Like the authors' solver it never switches the generator to eval mode, so every
instance norm normalises with per-instance statistics and the running statistics are written but never read. It runs
a few batches in training mode (so those buffers hold non-default values that the importer must ignore), saves the
state dict the way the authors' solver does (`torch.save(G.state_dict(), "<iteration>-G.ckpt")`) and writes
reference inputs and outputs. Windows are cut with F.unfold and put back with F.fold, as the authors' make_window and
window_reverse order them (row-major, window n of image b at row 4b + n), independently of the C# code.

Usage (Debian's PyTorch 1.13, from the repository root):
  /usr/bin/python3 tools/sagan/make_interop_fixture.py fixture [OUT_DIR]
  /usr/bin/python3 tools/sagan/make_interop_fixture.py check EXPORTED.ckpt|EXPORTED.safetensors [...]
The check loads files the C# exporter wrote strictly into the authors'-layout generator and compares its outputs on
the fixture's input with the fixture's reference outputs.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))

DEFAULT_OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "AnomalyDetection.Sagan.Tests", "Fixtures", "interop")
CONV_DIM = 4
REPEAT_NUM = 1
WINDOWS = 4  # 2 x 2 windows per image
BITS = 3  # the authors' int(log2(4) + 1)


def tracked_norm(channels):
    return nn.InstanceNorm2d(channels, affine=True, track_running_stats=True)


def conv_block(cin, cout, k, s, p):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), tracked_norm(cout), nn.ReLU())


def up_block(cin, cout):
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), tracked_norm(cout), nn.ReLU()]


def position_block(channels):
    return nn.Sequential(nn.Conv2d(channels + BITS, channels, 1), nn.InstanceNorm2d(channels), nn.ReLU())


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.main = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), tracked_norm(c), nn.ReLU(),
                                  nn.Conv2d(c, c, 3, 1, 1, bias=False), tracked_norm(c))

    def forward(self, x):
        return x + self.main(x)


class DecoderResidual(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.main = conv_block(cin, cout, 3, 1, 1)
        self.sc = nn.Sequential(nn.Conv2d(cout, cout, 3, 1, 1, bias=False), tracked_norm(cout))

    def forward(self, x):
        s = self.main(x)
        return s + self.sc(s)


class Gate(nn.Module):
    def __init__(self, gate_channels, skip_channels, inner):
        super().__init__()
        self.W_gate = nn.Sequential(nn.Conv2d(gate_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.W_x = nn.Sequential(nn.Conv2d(skip_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.psi = nn.Sequential(nn.Conv2d(inner, 1, 1), nn.InstanceNorm2d(1), nn.Sigmoid())

    def forward(self, gate, skip):
        return skip * self.psi(F.relu(self.W_gate(gate) + self.W_x(skip)))


class AuthorsLayoutGenerator(nn.Module):
    """The authors' generator layout and names (c_dim 0: one input channel)."""

    def __init__(self, conv_dim, repeat_num):
        super().__init__()
        c = conv_dim
        self.layer1 = conv_block(1, c, 7, 1, 3)
        self.enc_layer1 = conv_block(c, 2 * c, 4, 2, 1)
        self.p_bn1 = position_block(2 * c)
        self.enc_layer2 = conv_block(2 * c, 4 * c, 4, 2, 1)
        self.p_bn2 = position_block(4 * c)
        self.enc_layer3 = conv_block(4 * c, 8 * c, 4, 2, 1)
        self.bn2 = nn.Sequential(*position_block(8 * c), *[Residual(8 * c) for _ in range(repeat_num)])
        self.gate1 = Gate(8 * c, 8 * c, 4 * c)
        self.dec_bn1 = DecoderResidual(16 * c, 8 * c)
        self.dec_layer1 = nn.Sequential(*up_block(8 * c, 4 * c))
        self.up_conv1 = nn.Sequential(*up_block(4 * c, 2 * c), *up_block(2 * c, c))
        self.gate2 = Gate(4 * c, 4 * c, 2 * c)
        self.dec_bn2 = DecoderResidual(8 * c, 4 * c)
        self.dec_layer2 = nn.Sequential(*up_block(4 * c, 2 * c))
        self.up_conv2 = nn.Sequential(*up_block(2 * c, c))
        self.gate3 = Gate(2 * c, 2 * c, c)
        self.dec_bn3 = DecoderResidual(4 * c, 2 * c)
        self.dec_layer3 = nn.Sequential(*up_block(2 * c, c))
        self.bn3 = DecoderResidual(3 * c, c)
        self.conv = nn.Conv2d(c, 1, 7, 1, 3, bias=False)

    @staticmethod
    def with_codes(y, bs):
        """Appends each window's index as 3 constant bit planes, most significant bit first."""
        n, ch, h, w = y.shape
        index = torch.arange(WINDOWS)
        bits = torch.stack([(index >> (BITS - 1 - k)) & 1 for k in range(BITS)], 1).float()
        planes = bits.view(1, WINDOWS, BITS, 1, 1).expand(bs, WINDOWS, BITS, h, w)
        return torch.cat([y.view(bs, WINDOWS, ch, h, w), planes], 2).view(n, ch + BITS, h, w)

    def forward(self, windows, bs, keep_mask=None):
        y1 = self.p_bn1(self.with_codes(self.enc_layer1(self.layer1(windows)), bs))
        y2 = self.p_bn2(self.with_codes(self.enc_layer2(y1), bs))
        emb = self.bn2(self.with_codes(self.enc_layer3(y2), bs))
        o1 = self.dec_layer1(self.dec_bn1(torch.cat([emb, self.gate1(emb, emb)], 1)))
        o2 = self.dec_layer2(self.dec_bn2(torch.cat([o1, self.gate2(o1, y2)], 1)))
        o3 = self.dec_layer3(self.dec_bn3(torch.cat([o2, self.gate3(o2, y1)], 1)))
        out = self.conv(self.bn3(torch.cat([self.up_conv1(o1), self.up_conv2(o2), o3], 1)))
        if keep_mask is not None:
            # The authors draw this mask with torch.bernoulli in training mode; here it is given, to compare exactly.
            out = keep_mask * out + (1 - keep_mask) * windows
        return torch.tanh(out + windows)


def to_windows(x):
    b, c, h, w = x.shape
    cols = F.unfold(x, kernel_size=h // 2, stride=h // 2)  # (b, c*ph*pw, 4), windows row-major
    return cols.view(b, c, -1, WINDOWS).permute(0, 3, 1, 2).reshape(b * WINDOWS, c, h // 2, w // 2)


def from_windows(p, b):
    n, c, ph, pw = p.shape
    cols = p.reshape(b, WINDOWS, c * ph * pw).permute(0, 2, 1)
    return F.fold(cols, output_size=(2 * ph, 2 * pw), kernel_size=ph, stride=ph)


def restore(g, x, keep_mask=None):
    return from_windows(g(to_windows(x), x.shape[0], keep_mask), x.shape[0])


def fixture(args):
    import safetensors_io
    out = args.out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(11)
    g = AuthorsLayoutGenerator(CONV_DIM, REPEAT_NUM)
    g.train()
    with torch.no_grad():
        # A little "training-mode" traffic: the tracked norms' running statistics move away from 0 and 1.
        for _ in range(3):
            restore(g, torch.rand(2, 1, 64, 64) * 2 - 1)
        # Perturb the affine parameters too, so that a wrong mapping cannot pass by accident.
        for name, p in g.named_parameters():
            if p.dim() == 1 and name.endswith(("weight", "bias")):
                p.add_(0.1 * torch.randn_like(p))
    torch.save(g.state_dict(), os.path.join(out, "100-G.ckpt"))

    x = torch.rand(2, 1, 64, 64) * 2 - 1
    keep = (torch.rand(8, 1, 32, 32) < 0.95).float()
    with torch.no_grad():
        restored = restore(g, x)
        mixed = restore(g, x, keep)
    difference = (x - restored).abs()
    tensors = {"input": x, "keep_mask": keep, "restored": restored, "restored_mixed": mixed,
               "scores": difference.mean(dim=(1, 2, 3)) / 2, "maps": difference.mean(dim=1, keepdim=True)}
    safetensors_io.save(os.path.join(out, "outputs.safetensors"), tensors,
                        {"conv_dim": CONV_DIM, "repeat_num": REPEAT_NUM, "torch": torch.__version__})
    state = g.state_dict()
    buffers = [k for k in state if k.endswith(("running_mean", "running_var", "num_batches_tracked"))]
    print(f"wrote {out}: {len(state) - len(buffers)} weight tensors, {len(buffers)} running-statistics buffers")


def read_safetensors(path):
    """A minimal safetensors reader (F32 and I64), since Debian's PyTorch comes without the safetensors package."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    kinds = {"F32": np.float32, "I64": np.int64}
    result = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=kinds[entry["dtype"]]).reshape(entry["shape"])
        result[name] = torch.from_numpy(array.copy())
    return result


def check(args):
    reference = read_safetensors(os.path.join(args.fixture, "outputs.safetensors"))
    for path in args.files:
        state = read_safetensors(path) if path.endswith(".safetensors") else torch.load(path, map_location="cpu")
        g = AuthorsLayoutGenerator(state["layer1.0.weight"].shape[0], len({k.split(".")[1] for k in state if k.startswith("bn2.") and int(k.split(".")[1]) >= 3}))
        g.load_state_dict(state, strict=True)
        g.train()  # as the authors run it: per-instance statistics
        with torch.no_grad():
            restored = restore(g, reference["input"])
        error = (restored - reference["restored"]).abs().max().item()
        print(f"{path}: {len(state)} tensors loaded strictly into the authors' layout; max |PyTorch - reference| = {error:.3g}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fixture")
    f.add_argument("out", nargs="?", default=DEFAULT_OUT)
    c = sub.add_parser("check")
    c.add_argument("files", nargs="+")
    c.add_argument("--fixture", default=DEFAULT_OUT)
    args = parser.parse_args()
    {"fixture": fixture, "check": check}[args.command](args)


if __name__ == "__main__":
    main()
