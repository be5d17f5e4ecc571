"""A PyTorch re-implementation of SAGAN's generator and critic, written from the specification in
shared/research/papers.md section 1 (not from the authors' code). It serves as the parity reference for the C#
port: module and parameter names here are the names the C# modules register, so a state dict maps 1:1.

Usage (Debian's PyTorch 1.13, run from the repository root):
  /usr/bin/python3 tools/sagan/sagan_reference.py count                 # parameter counts at paper width
  /usr/bin/python3 tools/sagan/sagan_reference.py fixture OUT_DIR       # small-width weights + golden outputs
  /usr/bin/python3 tools/sagan/sagan_reference.py time [--conv-dim 16]  # one training iteration's time
"""
import argparse
import copy
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))


def instance_norm_affine(channels):
    # The reference tracks running statistics but, never switching to eval, always normalises with per-instance
    # statistics; the port keeps the per-instance behaviour and the affine parameters.
    return nn.InstanceNorm2d(channels, affine=True, track_running_stats=False)


def conv_in_relu(cin, cout, k, s, p):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, p, bias=False), instance_norm_affine(cout), nn.ReLU())


def convt_in_relu(cin, cout):
    return nn.Sequential(nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), instance_norm_affine(cout), nn.ReLU())


class ResidualBlock(nn.Module):
    """x + IN(conv(ReLU(IN(conv(x)))))."""

    def __init__(self, channels):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(channels, channels, 3, 1, 1, bias=False), instance_norm_affine(channels), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, 1, 1, bias=False), instance_norm_affine(channels))

    def forward(self, x):
        return x + self.main(x)


class DecoderResidualBlock(nn.Module):
    """s = ReLU(IN(conv in->out)); s + IN(conv out->out (s))."""

    def __init__(self, cin, cout):
        super().__init__()
        self.first = conv_in_relu(cin, cout, 3, 1, 1)
        self.second = nn.Sequential(nn.Conv2d(cout, cout, 3, 1, 1, bias=False), instance_norm_affine(cout))

    def forward(self, x):
        s = self.first(x)
        return s + self.second(s)


class AttentionGate(nn.Module):
    def __init__(self, gate_channels, skip_channels, inner):
        super().__init__()
        self.gate = nn.Sequential(nn.Conv2d(gate_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.skip = nn.Sequential(nn.Conv2d(skip_channels, inner, 1), nn.InstanceNorm2d(inner))
        self.psi = nn.Sequential(nn.Conv2d(inner, 1, 1), nn.InstanceNorm2d(1), nn.Sigmoid())

    def forward(self, gate, skip):
        return skip * self.psi(F.relu(self.gate(gate) + self.skip(skip)))


class PositionFusion(nn.Module):
    """Concatenates the 3-bit window code as constant channels, then 1x1 conv, plain IN, ReLU."""

    def __init__(self, channels, bits=3):
        super().__init__()
        self.conv = nn.Conv2d(channels + bits, channels, 1)
        self.norm = nn.InstanceNorm2d(channels)

    def forward(self, x, code):
        n, _, h, w = x.shape
        planes = code.view(n, -1, 1, 1).expand(n, code.shape[1], h, w)
        return F.relu(self.norm(self.conv(torch.cat([x, planes], 1))))


class Generator(nn.Module):
    def __init__(self, conv_dim=64, repeat_num=6):
        super().__init__()
        c = conv_dim
        self.stem = conv_in_relu(1, c, 7, 1, 3)
        self.enc1 = conv_in_relu(c, 2 * c, 4, 2, 1)
        self.pos1 = PositionFusion(2 * c)
        self.enc2 = conv_in_relu(2 * c, 4 * c, 4, 2, 1)
        self.pos2 = PositionFusion(4 * c)
        self.enc3 = conv_in_relu(4 * c, 8 * c, 4, 2, 1)
        self.pos3 = PositionFusion(8 * c)
        self.bottleneck = nn.Sequential(*[ResidualBlock(8 * c) for _ in range(repeat_num)])
        self.att1 = AttentionGate(8 * c, 8 * c, 4 * c)
        self.dec1 = DecoderResidualBlock(16 * c, 8 * c)
        self.up1 = convt_in_relu(8 * c, 4 * c)
        self.att2 = AttentionGate(4 * c, 4 * c, 2 * c)
        self.dec2 = DecoderResidualBlock(8 * c, 4 * c)
        self.up2 = convt_in_relu(4 * c, 2 * c)
        self.att3 = AttentionGate(2 * c, 2 * c, c)
        self.dec3 = DecoderResidualBlock(4 * c, 2 * c)
        self.up3 = convt_in_relu(2 * c, c)
        self.fuse1 = nn.Sequential(convt_in_relu(4 * c, 2 * c), convt_in_relu(2 * c, c))
        self.fuse2 = convt_in_relu(2 * c, c)
        self.fuse = DecoderResidualBlock(3 * c, c)
        self.head = nn.Conv2d(c, 1, 7, 1, 3, bias=False)

    def forward(self, x, code, keep_mask=None):
        y1 = self.pos1(self.enc1(self.stem(x)), code)
        y2 = self.pos2(self.enc2(y1), code)
        emb = self.bottleneck(self.pos3(self.enc3(y2), code))
        o1 = self.up1(self.dec1(torch.cat([emb, self.att1(emb, emb)], 1)))
        o2 = self.up2(self.dec2(torch.cat([o1, self.att2(o1, y2)], 1)))
        o3 = self.up3(self.dec3(torch.cat([o2, self.att3(o2, y1)], 1)))
        r = self.head(self.fuse(torch.cat([self.fuse1(o1), self.fuse2(o2), o3], 1)))
        if keep_mask is not None:
            r = keep_mask * r + (1 - keep_mask) * x
        return torch.tanh(r + x)


class Critic(nn.Module):
    def __init__(self, image_size=64, conv_dim=64, repeat_num=6):
        super().__init__()
        layers = [nn.Conv2d(1, conv_dim, 4, 2, 1), nn.LeakyReLU(0.01)]
        c = conv_dim
        for _ in range(1, repeat_num):
            layers += [nn.Conv2d(c, 2 * c, 4, 2, 1), nn.LeakyReLU(0.01)]
            c *= 2
        self.main = nn.Sequential(*layers)
        self.head = nn.Conv2d(c, 1, 3, 1, 1, bias=False)

    def forward(self, x):
        return self.head(self.main(x))


def window_codes(batch, windows=4, bits=3):
    """Window n of image b is row b*windows + n; its code is n in binary, most significant bit first."""
    n = torch.arange(windows).repeat(batch)
    return torch.stack([(n >> (bits - 1 - k)) & 1 for k in range(bits)], 1).float()


def patchify(x, grid=2):
    b, c, h, w = x.shape
    ph, pw = h // grid, w // grid
    return x.view(b, c, grid, ph, grid, pw).permute(0, 2, 4, 1, 3, 5).reshape(b * grid * grid, c, ph, pw)


def assemble(p, grid=2):
    bg, c, ph, pw = p.shape
    b = bg // (grid * grid)
    return p.view(b, grid, grid, c, ph, pw).permute(0, 3, 1, 4, 2, 5).reshape(b, c, grid * ph, grid * pw)


def restore(generator, x, keep_mask=None):
    windows = patchify(x)
    return assemble(generator(windows, window_codes(x.shape[0]), keep_mask))


def gradient_penalty(critic, real, fake, alpha):
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = critic(mixed)
    grad = torch.autograd.grad(out, mixed, torch.ones_like(out), create_graph=True)[0]
    norm = grad.view(grad.shape[0], -1).norm(2, dim=1)
    return ((norm - 1) ** 2).mean()


def training_step(g, d, batch=2, lr=5e-5):
    """One training iteration (critic update, then generator update) from the given weights on random inputs, with the
    paper's losses and Adam settings. Returns the inputs, the losses, both networks' gradients and the critic's
    weights after its update, keyed "step.*". The generator's three restorations use consecutive thirds of one mask,
    in the order unlabeled, normal, pseudo-anomalous, in which the C# trainer concatenates them."""
    g, d = copy.deepcopy(g), copy.deepcopy(d)
    xn, xu = (torch.rand(batch, 1, 64, 64) * 2 - 1 for _ in range(2))
    box = torch.zeros(batch, 1, 64, 64)
    box[:, :, 20:36, 24:40] = 0.7
    xpa = (1 - box) * xn + box * torch.rand(batch, 1, 64, 64)
    alpha = torch.rand(batch, 1, 1, 1)
    keep_c = (torch.rand(4 * batch, 1, 32, 32) < 0.95).float()
    keep_g = (torch.rand(12 * batch, 1, 32, 32) < 0.95).float()
    opt_g = torch.optim.Adam(g.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr, betas=(0.5, 0.999))

    fake = restore(g, xu, keep_c).detach()
    gp = gradient_penalty(d, xn, fake, alpha)
    loss_d = -d(xn).mean() + d(fake).mean() + 10 * gp
    opt_d.zero_grad()
    loss_d.backward()
    critic_grads = {n: p.grad.clone() for n, p in d.named_parameters()}
    opt_d.step()

    r = 4 * batch
    adv = -d(restore(g, xu, keep_g[:r])).mean()
    identity = (xn - restore(g, xn, keep_g[r:2 * r])).abs().mean()
    restoration = ((xn - restore(g, xpa, keep_g[2 * r:])) ** 2).mean()
    loss_g = adv + identity + restoration
    opt_g.zero_grad()
    loss_g.backward()

    out = {"step.normal": xn, "step.unlabeled": xu, "step.pseudo_anomalous": xpa, "step.alpha": alpha,
           "step.critic_keep_mask": keep_c, "step.generator_keep_mask": keep_g}
    for name, value in [("critic", loss_d), ("gradient_penalty", gp), ("generator", loss_g), ("adversarial", adv),
                        ("identity", identity), ("restoration", restoration)]:
        out["step.loss." + name] = value.detach().reshape(1)
    for n, grad in critic_grads.items():
        out["step.critic_grad." + n] = grad
    for n, p in d.named_parameters():
        out["step.critic_after." + n] = p.detach().clone()
    for n, p in g.named_parameters():
        out["step.generator_grad." + n] = p.grad.clone()
    return out


def count(args):
    g, d = Generator(64, 6), Critic(64, 64, 6)
    print("generator", sum(p.numel() for p in g.parameters()))
    print("critic", sum(p.numel() for p in d.parameters()))


def fixture(args):
    import safetensors_io
    torch.manual_seed(7)
    g, d = Generator(args.conv_dim, args.repeat_num), Critic(64, args.conv_dim, 6)
    x = torch.rand(2, 1, 64, 64) * 2 - 1
    keep = (torch.rand(8, 1, 32, 32) < 0.95).float()
    with torch.no_grad():
        restored = restore(g, x)
        restored_mixed = restore(g, x, keep)
        critic_out = d(x)
    alpha = torch.rand(2, 1, 1, 1)
    gp = gradient_penalty(d, x, restored, alpha)
    gp_grads = torch.autograd.grad(gp, list(d.parameters()))
    # The generator's backward end to end: the identity L1 loss with the training-time mixing on.
    g_loss = (x - restore(g, x, keep)).abs().mean()
    g_grads = torch.autograd.grad(g_loss, list(g.parameters()))
    os.makedirs(args.out, exist_ok=True)
    safetensors_io.save(os.path.join(args.out, "generator.safetensors"), dict(g.state_dict()))
    safetensors_io.save(os.path.join(args.out, "critic.safetensors"), dict(d.state_dict()))
    step = training_step(g, d)
    tensors = {"input": x, "keep_mask": keep, "restored": restored, "restored_mixed": restored_mixed,
               "critic_output": critic_out, "alpha": alpha, "gradient_penalty": gp.detach().reshape(1)}
    for (name, _), grad in zip(d.named_parameters(), gp_grads):
        tensors["gp_grad." + name] = grad
    tensors["generator_loss"] = g_loss.detach().reshape(1)
    for (name, _), grad in zip(g.named_parameters(), g_grads):
        tensors["generator_grad." + name] = grad
    tensors.update(step)
    safetensors_io.save(os.path.join(args.out, "outputs.safetensors"), tensors,
                        {"conv_dim": args.conv_dim, "repeat_num": args.repeat_num, "torch": torch.__version__})
    print("wrote", args.out)


def time_iteration(args):
    torch.set_num_threads(2)
    torch.manual_seed(0)
    g, d = Generator(args.conv_dim, args.repeat_num), Critic(64, args.conv_dim, 6)
    opt_g = torch.optim.Adam(g.parameters(), 5e-5, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 5e-5, betas=(0.5, 0.999))
    b = args.batch
    xu, xn, xpa = (torch.rand(b, 1, 64, 64) * 2 - 1 for _ in range(3))

    def keep():
        return (torch.rand(4 * b, 1, 32, 32) < 0.95).float()

    def critic_step():
        fake = restore(g, xu, keep()).detach()
        loss = -d(xn).mean() + d(fake).mean() + 10 * gradient_penalty(d, xn, fake, torch.rand(b, 1, 1, 1))
        opt_d.zero_grad()
        loss.backward()
        opt_d.step()

    def generator_step():
        loss = (-d(restore(g, xu, keep())).mean() + (xn - restore(g, xn, keep())).abs().mean()
                + ((xn - restore(g, xpa, keep())) ** 2).mean())
        opt_g.zero_grad()
        loss.backward()
        opt_g.step()

    critic_step(); generator_step()  # warm-up
    times_c, times_cg = [], []
    for _ in range(args.rounds):
        t = time.perf_counter(); critic_step(); times_c.append(time.perf_counter() - t)
        t = time.perf_counter(); critic_step(); generator_step(); times_cg.append(time.perf_counter() - t)
    med = lambda v: sorted(v)[len(v) // 2]
    print(f"pytorch sagan conv_dim={args.conv_dim} batch={b}: critic-only {med(times_c)*1000:.0f} ms, "
          f"critic+generator {med(times_cg)*1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("count")
    f = sub.add_parser("fixture"); f.add_argument("out"); f.add_argument("--conv-dim", type=int, default=4); f.add_argument("--repeat-num", type=int, default=2)
    t = sub.add_parser("time"); t.add_argument("--conv-dim", type=int, default=16); t.add_argument("--repeat-num", type=int, default=6)
    t.add_argument("--batch", type=int, default=32); t.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    {"count": count, "fixture": fixture, "time": time_iteration}[args.command](args)


if __name__ == "__main__":
    main()
