"""The PyTorch twins of the benchmark console's whole-network workloads (benchmarks/AnomalyDetection.Benchmarks/Networks).

Each network here mirrors its C# counterpart layer for layer (same channels, kernels, strides, normalisation and
parameter count), so that the console times the same computation on both engines.

Workloads, by the names the console uses ("<name> <batch> <size>"):
    dcgan-d      DCGAN discriminator forward and backward (BCE on logits against "real")
    unet         U-Net generator with attention gates, forward and backward of an L1 reconstruction loss
    unet-step    the same plus an Adam step
    dcgan-step   a whole DCGAN iteration: D on a real and a generated batch, then G; Adam on both

As a script it measures one workload's peak memory in a fresh process (the console's "memory" group):
    python3 torch_networks.py --peak-memory "dcgan-step 16 64" [--steps N]
prints "baseline <bytes> peak <bytes>": the resident set after importing torch and the peak resident set.
With --profile it prints torch's per-operator profile of a few iterations instead.
"""

import os
import sys

# OpenMP's default is to spin while waiting for work. On this shared 2-core host, where other processes preempt
# one of the two threads, spinning makes 2-thread PyTorch 2-5x slower than 1 thread; passive waiting does not.
# Must be set before torch (libgomp) loads; an OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
import torch.nn as nn
import torch.nn.functional as F

LATENT = 100


def dcgan_discriminator(channels=1, width=64):
    return nn.Sequential(
        nn.Conv2d(channels, width, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2),
        nn.Conv2d(width, width * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width * 2),
        nn.LeakyReLU(0.2),
        nn.Conv2d(width * 2, width * 4, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width * 4),
        nn.LeakyReLU(0.2),
        nn.Conv2d(width * 4, width * 8, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width * 8),
        nn.LeakyReLU(0.2),
        nn.Conv2d(width * 8, 1, 4, 1, 0, bias=False),
    )


def dcgan_generator(channels=1, width=64):
    return nn.Sequential(
        nn.ConvTranspose2d(LATENT, width * 8, 4, 1, 0, bias=False),
        nn.BatchNorm2d(width * 8),
        nn.ReLU(),
        nn.ConvTranspose2d(width * 8, width * 4, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width * 4),
        nn.ReLU(),
        nn.ConvTranspose2d(width * 4, width * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width * 2),
        nn.ReLU(),
        nn.ConvTranspose2d(width * 2, width, 4, 2, 1, bias=False),
        nn.BatchNorm2d(width),
        nn.ReLU(),
        nn.ConvTranspose2d(width, channels, 4, 2, 1, bias=False),
        nn.Tanh(),
    )


def conv_block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.InstanceNorm2d(cout, affine=True),
        nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.InstanceNorm2d(cout, affine=True),
        nn.ReLU(),
    )


class AttentionGate(nn.Module):
    """Additive attention gate (Attention U-Net, instance-normalised as in SAGAN) on a skip connection."""

    def __init__(self, gate_channels, skip_channels, inner):
        super().__init__()
        self.gate = nn.Sequential(nn.Conv2d(gate_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.skip = nn.Sequential(nn.Conv2d(skip_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.weight = nn.Sequential(nn.Conv2d(inner, 1, 1), nn.InstanceNorm2d(1), nn.Sigmoid())

    def forward(self, gate, skip):
        return skip * self.weight(F.relu(self.gate(gate) + self.skip(skip)))


class AttentionUNet(nn.Module):
    """Four levels of 32-256 channels, max-pool down, 2x2 stride-2 transposed convolution up, gated skips."""

    def __init__(self, channels=1, width=32, levels=4):
        super().__init__()
        widths = [width << level for level in range(levels)]
        self.encoders = nn.ModuleList(
            conv_block(channels if level == 0 else widths[level - 1], widths[level]) for level in range(levels - 1))
        self.bottleneck = conv_block(widths[-2], widths[-1])
        self.ups = nn.ModuleList(nn.ConvTranspose2d(widths[level + 1], widths[level], 2, 2) for level in range(levels - 1))
        self.gates = nn.ModuleList(AttentionGate(w, w, w // 2) for w in widths[:-1])
        self.decoders = nn.ModuleList(conv_block(2 * w, w) for w in widths[:-1])
        self.output = nn.Conv2d(width, channels, 1)

    def forward(self, x):
        skips = []
        for encoder in self.encoders:
            skips.append(encoder(x))
            x = F.max_pool2d(skips[-1], 2)
        x = self.bottleneck(x)
        for level in reversed(range(len(skips))):
            up = self.ups[level](x)
            x = self.decoders[level](torch.cat([self.gates[level](up, skips[level]), up], 1))
        return torch.tanh(self.output(x))


def _discriminator_pass(batch, size):
    discriminator = dcgan_discriminator()
    real = torch.rand(batch, 1, size, size) * 2 - 1
    labels = torch.ones(batch, 1, 1, 1)

    def run():
        discriminator.zero_grad(set_to_none=True)
        F.binary_cross_entropy_with_logits(discriminator(real), labels).backward()
    return run


def _unet_pass(batch, size, with_optimizer):
    generator = AttentionUNet()
    optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999)) if with_optimizer else None
    x = torch.rand(batch, 1, size, size) * 2 - 1

    def run():
        generator.zero_grad(set_to_none=True)
        F.l1_loss(generator(x), x).backward()
        if optimizer is not None:
            optimizer.step()
    return run


def _dcgan_step(batch, size):
    assert size == 64, "the DCGAN networks are built for 64x64 images"
    generator, discriminator = dcgan_generator(), dcgan_discriminator()
    optimizer_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    optimizer_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = torch.rand(batch, 1, size, size) * 2 - 1
    noise = torch.randn(batch, LATENT, 1, 1)
    real_labels, fake_labels = torch.ones(batch, 1, 1, 1), torch.zeros(batch, 1, 1, 1)

    def run():
        discriminator.zero_grad(set_to_none=True)
        F.binary_cross_entropy_with_logits(discriminator(real), real_labels).backward()
        fake = generator(noise)
        F.binary_cross_entropy_with_logits(discriminator(fake.detach()), fake_labels).backward()
        optimizer_d.step()
        generator.zero_grad(set_to_none=True)
        F.binary_cross_entropy_with_logits(discriminator(fake), real_labels).backward()
        optimizer_g.step()
    return run


def build(name, batch, size):
    """Returns the callable that runs one iteration of workload `name`."""
    torch.manual_seed(7)
    batch, size = int(batch), int(size)
    if name == "dcgan-d":
        return _discriminator_pass(batch, size)
    if name == "unet":
        return _unet_pass(batch, size, with_optimizer=False)
    if name == "unet-step":
        return _unet_pass(batch, size, with_optimizer=True)
    if name == "dcgan-step":
        return _dcgan_step(batch, size)
    raise ValueError(f"unknown workload '{name}'")


def _status_bytes(field):
    # /proc/self/status rather than getrusage: ru_maxrss survives execve, so it would report the peak of the
    # process that started this one.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def main(argv):
    torch.set_num_threads(2)
    steps = int(argv[argv.index("--steps") + 1]) if "--steps" in argv else 5
    if argv[0] == "--peak-memory":
        baseline = _status_bytes("VmRSS")
        run = build(*argv[1].split())
        for _ in range(steps):
            run()
        peak = _status_bytes("VmHWM")
        print(f"baseline {baseline} peak {peak}", flush=True)
    elif argv[0] == "--profile":
        run = build(*argv[1].split())
        run()
        with torch.autograd.profiler.profile() as profile:
            for _ in range(steps):
                run()
        print(profile.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
