"""The PyTorch twins of the benchmark console's workloads (benchmarks/AnomalyDetection.Benchmarks).

Each twin runs the same networks, shapes, batch size, losses and optimiser steps as the detector it mirrors, in the
order that detector's TorchSharp code runs them, so that the console compares the two engines on the same work:

    sagan-step      one SAGAN iteration: WGAN-GP critic update, then a generator update (SaganTrainer.Update)
    patchgan-step   one Patch-GAN training step: masked reconstruction, discriminator update, reconstructor update
                    with top-k patch ranking (PatchGanTrainer.Step)
    ae-step         one autoencoder training step: reconstruction loss and an Adam step (AutoencoderTrainer.Step)
    sagan-score     SAGAN scoring of a batch: restoration, scores and maps (SaganDetector.Score)
    patchgan-score  Patch-GAN scoring of a batch: complementary masked reconstructions, discriminator, fused patch
                    scores, smoothed maps (PatchGanDetector.Score)
    ae-score        autoencoder scoring of a batch: reconstruction errors, smoothed maps, top-fraction scores

The networks come from the repository's PyTorch references: tools/sagan/sagan_reference.py (SAGAN's generator and
critic) and tools/patchgan/make_component_fixtures.py (the Patch-GAN U-Net and patch discriminator); the autoencoder
is written here from ConvAutoencoder's layer list. Parameter names are the C# state-dictionary names, so a scoring
twin can load a model file saved by the console (weights=PATH) strictly, which proves the two networks identical.

A spec is the workload's name followed by key=value settings, which the console writes from the detector options it
uses (sizes, widths, loss weights, learning rates): "sagan-step batch=32 size=64 conv_dim=16 ...".

As a script it measures one workload's peak memory in a fresh process:
    /usr/bin/python3 torch_networks.py --peak-memory "SPEC" [--steps N] [--threads N]
and prints "baseline <bytes> peak <bytes> anon <bytes> file <bytes>": the resident set after importing torch (before any
network exists), the peak resident set (VmHWM) after N runs, and the resident set at the end split into anonymous
memory (tensors, heaps) and pages of mapped files (the libraries' code and data). With --profile it prints torch's per-operator profile instead.
"""

import json
import os
import struct
import sys
import zipfile
from collections import OrderedDict

# OpenMP's default is to spin while waiting for work; on a shared 2-core host where other processes preempt one of
# the two threads, spinning makes 2-thread PyTorch several times slower. libgomp reads this when it loads, so it must
# be set before torch is imported; a value in the environment wins. The console sets it for both engines.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def _tools_folder():
    """tools/ next to this script (the console copies it into its output) or in the repository above it."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "tools"), os.path.join(here, "..", "tools")):
        if os.path.isfile(os.path.join(candidate, "sagan", "sagan_reference.py")):
            return candidate
    raise FileNotFoundError(f"tools/sagan/sagan_reference.py not found next to or above {here}")


_TOOLS = _tools_folder()
sys.path.insert(0, os.path.join(_TOOLS, "sagan"))
sys.path.insert(0, os.path.join(_TOOLS, "patchgan"))
import sagan_reference as sagan  # noqa: E402
import make_component_fixtures as patchgan  # noqa: E402


# ---------------------------------------------------------------------------------------------------------------------
# Specs and weights

def parse(spec):
    """'name k=v k=v' -> (name, {k: v}); numbers become int or float, comma lists become lists of ints."""
    words = spec.split()
    settings = {}
    for word in words[1:]:
        key, value = word.split("=", 1)
        if "," in value:
            settings[key] = [int(v) for v in value.split(",")]
            continue
        for kind in (int, float):
            try:
                settings[key] = kind(value)
                break
            except ValueError:
                pass
        else:
            settings[key] = value
    return words[0], settings


_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32}


def read_safetensors(data):
    """Parses safetensors bytes (8-byte header length, JSON header, raw little-endian data) into tensors."""
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[start:end]), dtype=_DTYPES[entry["dtype"]])
        tensors[name] = flat.reshape(entry["shape"]).clone()
    return tensors


def read_model_weights(path):
    """The weights of a model file written by the library (a zip holding weights.safetensors)."""
    with zipfile.ZipFile(path) as archive:
        return read_safetensors(archive.read("weights.safetensors"))


def load_strict(module, weights, prefix=""):
    """Loads the C# state dictionary into the twin and refuses any missing, unexpected or misshaped name."""
    state = {k[len(prefix):]: v for k, v in weights.items() if k.startswith(prefix)}
    own = module.state_dict()
    # BatchNorm's step counter is bookkeeping, not computation; an export may leave it out.
    for name in [n for n in own if n.endswith("num_batches_tracked") and n not in state]:
        state[name] = own[name]
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    misshaped = sorted(n for n in set(own) & set(state) if tuple(own[n].shape) != tuple(state[n].shape))
    if missing or unexpected or misshaped:
        raise ValueError(f"state dict mismatch: missing {missing}, unexpected {unexpected}, misshaped {misshaped}")
    module.load_state_dict({n: v.to(own[n].dtype) for n, v in state.items()})


def _images(settings, count=None):
    """The input batch in [-1, 1]: the console's images (images=PATH, pixels in [0, 1] as the detectors receive them,
    rescaled as their preprocessing does), or seeded uniform noise of the same shape."""
    if "images" in settings:
        with open(settings["images"], "rb") as f:
            return read_safetensors(f.read())["images"] * 2 - 1
    n = count or settings["batch"]
    return torch.rand(n, settings.get("channels", 1), settings["size"], settings["size"]) * 2 - 1


def _adam(parameters, s):
    return torch.optim.Adam(parameters, s["lr"], betas=(s["beta1"], s["beta2"]))


def _set_trainable(module, trainable):
    for parameter in module.parameters():
        parameter.requires_grad_(trainable)


def _top_fraction_mean(values, fraction):
    """TopFraction.Mean: the mean of each image's largest round(fraction * count) values, in float64."""
    n = values.shape[0]
    flat = values.reshape(n, -1)
    top = min(max(int(fraction * flat.shape[1] + 0.5), 1), flat.shape[1])
    return flat.topk(top, dim=1).values.double().mean(1)


class GaussianBlur(nn.Module):
    """GaussianBlur2d: a normalised (2r+1)^2 Gaussian, r = ceil(3 sigma), divided by its coverage at the borders."""

    def __init__(self, sigma):
        super().__init__()
        import math
        self.radius = 0 if sigma == 0 else math.ceil(3 * sigma)
        r = self.radius
        grid = torch.arange(-r, r + 1, dtype=torch.float64)
        weights = torch.exp(-(grid[:, None] ** 2 + grid[None, :] ** 2) / (2 * sigma * sigma)) if r > 0 else None
        self.kernel = None if weights is None else (weights / weights.sum()).float().reshape(1, 1, 2 * r + 1, 2 * r + 1)

    def forward(self, x):
        if self.kernel is None:
            return x
        n, c, h, w = x.shape
        blurred = F.conv2d(x.reshape(n * c, 1, h, w), self.kernel, padding=self.radius)
        coverage = F.conv2d(torch.ones(1, 1, h, w), self.kernel, padding=self.radius)
        return (blurred / coverage).reshape(n, c, h, w)


def _results(scores, maps):
    """DetectorScores.From copies scores and maps into managed arrays; the twin copies them out of torch likewise."""
    return scores.numpy().copy(), maps.numpy().copy()


# ---------------------------------------------------------------------------------------------------------------------
# SAGAN

def _sagan_networks(s):
    generator = sagan.Generator(s["conv_dim"], s["repeat_num"])
    critic = sagan.Critic(s["size"], s["conv_dim"], s["critic_repeat"])
    return generator, critic


def _keep_mask(windows, side, mix):
    """SaganGenerator.SampleKeepMask: 0 (mix in the input) with probability `mix`, per window pixel."""
    return (torch.rand(windows, 1, side, side) >= mix).float()


def sagan_step(s):
    """SaganTrainer.Update with a generator update (CriticSteps 1): real and fake critic scores in one batch, the
    gradient penalty, the critic's Adam step; then the three restorations in one batch with the critic frozen."""
    generator, critic = _sagan_networks(s)
    opt_g, opt_d = _adam(generator.parameters(), s), _adam(critic.parameters(), s)
    b, side = s["batch"], s["size"] // 2
    normal, unlabeled, pseudo = (_images(s) for _ in range(3))

    def run():
        alpha = torch.rand(b, 1, 1, 1)
        with torch.no_grad():
            fake = sagan.restore(generator, unlabeled, _keep_mask(4 * b, side, s["mix"]))
        scores = critic(torch.cat([normal, fake], 0))
        real_score, fake_score = scores[:b].mean(), scores[b:].mean()
        penalty = sagan.gradient_penalty(critic, normal, fake, alpha)
        critic_loss = fake_score - real_score + penalty * s["gp"]
        opt_d.zero_grad()
        critic_loss.backward()
        opt_d.step()
        torch.stack([critic_loss.detach(), (real_score - fake_score).detach(), penalty.detach()]).tolist()

        _set_trainable(critic, False)
        restored = sagan.restore(generator, torch.cat([unlabeled, normal, pseudo], 0), _keep_mask(12 * b, side, s["mix"]))
        adversarial = -critic(restored[:b]).mean()
        identity = F.l1_loss(restored[b:2 * b], normal)
        restoration = F.mse_loss(restored[2 * b:], normal)
        generator_loss = adversarial + identity * s["identity"] + restoration * s["restoration"]
        opt_g.zero_grad()
        generator_loss.backward()
        opt_g.step()
        torch.stack([generator_loss.detach(), adversarial.detach(), identity.detach(), restoration.detach()]).tolist()
        _set_trainable(critic, True)
    return run


def sagan_score(s):
    """SaganDetector.Score: |x - G(x)|, its mean / 2 per image and its channel mean per pixel."""
    generator = sagan.Generator(s["conv_dim"], s["repeat_num"]).eval()
    if "weights" in s:
        load_strict(generator, read_model_weights(s["weights"]), "generator.")
    images = _images(s)

    def run():
        with torch.no_grad():
            difference = (images - sagan.restore(generator, images)).abs()
            return _results(difference.mean([1, 2, 3]) / 2, difference.mean(1, keepdim=True))
    return run


# ---------------------------------------------------------------------------------------------------------------------
# Patch-GAN

class PatchGanTwin(nn.Module):
    """PatchGanNetwork with the default parts: U-Net reconstructor, cropped patch discriminator, score statistics."""

    def __init__(self, s):
        super().__init__()
        c = s.get("channels", 1)
        self.reconstructor = patchgan.UNet(c, c, s["reconstructor"], attention=False)
        self.discriminator = patchgan.CroppedPatchDiscriminator(c, s["patch"], s["discriminator"])
        self.statistics = nn.Module()
        for name, value in (("error_mean", 0.0), ("error_std", 1.0), ("fake_mean", 0.0), ("fake_std", 1.0)):
            self.statistics.register_buffer(name, torch.full((1,), value))


def _to_pixels(grid, patch):
    return grid.repeat_interleave(patch, 2).repeat_interleave(patch, 3)


def _random_patch_masks(n, patches_per_side, low, high):
    """PatchMasks.Random: each image hides round(U(low, high) * patches) patches (at least 1) chosen uniformly."""
    patches = patches_per_side * patches_per_side
    hidden = ((low + (high - low) * torch.rand(n)) * patches + 0.5).floor().clamp(1, patches)
    ranks = torch.rand(n, patches).argsort(1).argsort(1)
    return (ranks < hidden[:, None]).float().reshape(n, 1, patches_per_side, patches_per_side)


def _top_k_weights(values, fraction, weight):
    """PatchRankingWeights.TopK: weight for each image's top round(fraction * patches) values, 1 elsewhere."""
    n = values.shape[0]
    flat = values.reshape(n, -1)
    top = min(max(int(fraction * flat.shape[1] + 0.5), 1), flat.shape[1])
    order = flat.sort(stable=True, dim=1, descending=True).indices
    weights = torch.ones_like(flat).scatter_(1, order[:, :top], torch.full((n, top), float(weight)))
    return weights.reshape(values.shape)


def _weighted(per_patch, weights):
    return (per_patch * weights).sum() / weights.sum()


def patchgan_step(s):
    """PatchGanTrainer.Step with masking and top-k ranking (the defaults), no global discriminator."""
    net = PatchGanTwin(s)
    reconstructor, discriminator = net.reconstructor, net.discriminator
    opt_r, opt_d = _adam(reconstructor.parameters(), s), _adam(discriminator.parameters(), s)
    images = _images(s)
    grid = s["size"] // s["patch"]

    def run():
        masks = _random_patch_masks(images.shape[0], grid, s["mask_min"], s["mask_max"])
        hidden = _to_pixels(masks, s["patch"])
        reconstruction = reconstructor(images * (1 - hidden))

        # Discriminator update.
        _set_trainable(discriminator, True)
        fake = reconstruction.detach()
        real_logits = discriminator(images)
        fake_logits = discriminator(fake)
        with torch.no_grad():
            weights = _top_k_weights((-fake_logits.detach()).sigmoid(), s["rank_fraction"], s["rank_weight"])
        per_patch = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits), reduction="none")
                     + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits), reduction="none"))
        loss = _weighted(per_patch, weights)
        opt_d.zero_grad()
        loss.backward()
        opt_d.step()
        loss.item()

        # Reconstructor update, the discriminator frozen.
        _set_trainable(discriminator, False)
        logits = discriminator(reconstruction)
        per_patch = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits), reduction="none")
        with torch.no_grad():
            weights = _top_k_weights((-logits.detach()).sigmoid(), s["rank_fraction"], s["rank_weight"])
        adversarial = _weighted(per_patch, weights)
        errors = (images - reconstruction).abs()
        pixel_weights = 1 + hidden * (s["masked_weight"] - 1)
        l1 = (errors * pixel_weights).sum() / (pixel_weights.sum() * images.shape[1])
        loss = l1 * s["rec_weight"] + adversarial * s["adv_weight"]
        opt_r.zero_grad()
        loss.backward()
        opt_r.step()
        l1.item(), adversarial.item(), loss.item()
        _set_trainable(discriminator, True)
    return run


def _complementary_masks(grid, count):
    """PatchMasks.Complementary: `count` masks tiling the grid in blocks, each patch hidden by exactly one mask."""
    rows = max(a for a in range(1, int(count ** 0.5) + 1) if count % a == 0)
    columns = count // rows
    masks = torch.zeros(count, 1, grid, grid)
    for r in range(grid):
        for c in range(grid):
            masks[(r % rows) * columns + (c % columns), 0, r, c] = 1
    return masks


def patchgan_score(s):
    """PatchGanDetector.Score: K complementary masked passes in one batch, evidence, fused patch scores, top-fraction
    image scores, softplus-weighted and Gaussian-smoothed pixel maps."""
    net = PatchGanTwin(s).eval()
    if "weights" in s:
        load_strict(net, read_model_weights(s["weights"]))
    images = _images(s)
    patch, k, stats = s["patch"], s["test_masks"], net.statistics
    blur = GaussianBlur(s["sigma"])
    alpha = s["alpha"]

    def run():
        with torch.no_grad():
            n, c, h, w = images.shape
            masks = _to_pixels(_complementary_masks(h // patch, k), patch).reshape(k, 1, 1, h, w)
            hidden = images.reshape(1, n, c, h, w) * (1 - masks)
            passes = net.reconstructor(hidden.reshape(k * n, c, h, w)).reshape(k, n, c, h, w)
            reconstruction = (passes * masks).sum(0)
            pixel_errors = (images - reconstruction).abs().mean(1, keepdim=True)
            patch_errors = F.avg_pool2d(pixel_errors, patch, patch)
            fake = (-net.discriminator(reconstruction)).sigmoid()
            patch_scores = ((patch_errors - stats.error_mean) * (alpha / stats.error_std)
                            + (fake - stats.fake_mean) * ((1 - alpha) / stats.fake_std))
            scores = _top_fraction_mean(patch_scores, s["top"])
            upsampled = F.interpolate(patch_scores, size=(h, w), mode="bilinear", align_corners=False)
            positive = upsampled.relu() + (-upsampled.abs()).exp().log1p()
            return _results(scores, blur(pixel_errors * positive))
    return run


# ---------------------------------------------------------------------------------------------------------------------
# Autoencoder

class AutoencoderTwin(nn.Module):
    """ConvAutoencoder: 4x4 stride-2 convolutions (batch norm after all but the first, LeakyReLU 0.2), a 1x1 latent
    convolution, 4x4 stride-2 transposed convolutions (batch norm, ReLU) and a tanh output."""

    def __init__(self, channels, widths, latent):
        super().__init__()
        down, width = [], channels
        for i, w in enumerate(widths):
            stage = [("conv", nn.Conv2d(width, w, 4, 2, 1, bias=i == 0))]
            if i > 0:
                stage.append(("norm", nn.BatchNorm2d(w)))
            stage.append(("act", nn.LeakyReLU(0.2)))
            down.append((f"down{i}", nn.Sequential(OrderedDict(stage))))
            width = w
        down.append(("latent", nn.Conv2d(width, latent, 1)))
        self.encoder = nn.Sequential(OrderedDict(down))
        up, width = [], latent
        for i in range(len(widths) - 1, 0, -1):
            up.append((f"up{i}", nn.Sequential(OrderedDict([
                ("conv", nn.ConvTranspose2d(width, widths[i - 1], 4, 2, 1, bias=False)),
                ("norm", nn.BatchNorm2d(widths[i - 1])),
                ("act", nn.ReLU())]))))
            width = widths[i - 1]
        up.append(("output", nn.Sequential(OrderedDict([
            ("conv", nn.ConvTranspose2d(width, channels, 4, 2, 1)), ("act", nn.Tanh())]))))
        self.decoder = nn.Sequential(OrderedDict(up))

    def forward(self, x):
        assert x.shape[2] % (1 << len(self.encoder) - 1) == 0, "the twin does not pad; use a multiple of 2^depth"
        return self.decoder(self.encoder(x))


def _errors(images, reconstruction, loss):
    difference = images - reconstruction
    return difference.abs() if loss == "L1" else difference.square()


def ae_step(s):
    """AutoencoderTrainer.Step: the mean reconstruction error, backward, one Adam step; batch norm in training mode."""
    network = AutoencoderTwin(s.get("channels", 1), s["widths"], s["latent"]).train()
    optimizer = _adam(network.parameters(), s)
    images = _images(s)

    def run():
        loss = _errors(images, network(images), s["loss"]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loss.item()
    return run


def ae_score(s):
    """AutoencoderDetector.Score: per-pixel errors averaged over channels, smoothed, top-fraction image scores."""
    network = AutoencoderTwin(s.get("channels", 1), s["widths"], s["latent"]).eval()
    if "weights" in s:
        load_strict(network, read_model_weights(s["weights"]))
    images = _images(s)
    blur = GaussianBlur(s["sigma"])

    def run():
        with torch.no_grad():
            maps = blur(_errors(images, network(images), s["loss"]).mean(1, keepdim=True))
            return _results(_top_fraction_mean(maps, s["top"]), maps)
    return run


WORKLOADS = {
    "sagan-step": sagan_step, "sagan-score": sagan_score,
    "patchgan-step": patchgan_step, "patchgan-score": patchgan_score,
    "ae-step": ae_step, "ae-score": ae_score,
}


def build(spec):
    """Returns the callable that runs one iteration of the workload a spec names (seeded: the same spec builds the
    same weights and inputs)."""
    name, settings = parse(spec)
    if name not in WORKLOADS:
        raise ValueError(f"unknown workload '{name}'; known: {', '.join(WORKLOADS)}")
    torch.manual_seed(7)
    return WORKLOADS[name](settings)


def status_bytes(field):
    # /proc/self/status rather than getrusage: ru_maxrss survives execve, so it would report the peak of the
    # process that started this one.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def main(argv):
    torch.set_num_threads(int(argv[argv.index("--threads") + 1]) if "--threads" in argv else 2)
    steps = int(argv[argv.index("--steps") + 1]) if "--steps" in argv else 4
    if len(argv) >= 2 and argv[0] == "--peak-memory":
        baseline = status_bytes("VmRSS")
        run = build(argv[1])
        for _ in range(steps):
            run()
        print(f"baseline {baseline} peak {status_bytes('VmHWM')} anon {status_bytes('RssAnon')} file {status_bytes('RssFile')}",
              flush=True)
    elif len(argv) >= 2 and argv[0] == "--profile":
        run = build(argv[1])
        run()
        with torch.autograd.profiler.profile() as profile:
            for _ in range(steps):
                run()
        print(profile.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
