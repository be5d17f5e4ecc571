"""Writes golden fixtures for the engine's operations with PyTorch (Debian's python3-torch, 1.13).

Run from the repository root:  /usr/bin/python3 tools/golden/make_op_fixtures.py
Each case becomes tests/AnomalyDetection.Tensors.Tests/Fixtures/ops/<case>.safetensors holding
input.<i> (the inputs), output, grad_output (a random upstream gradient) and grad.<i> (the gradient of
sum(output * grad_output) with respect to input i). The C# test with the same case name recomputes all of them.
The fixtures are committed; the tests never need Python.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import safetensors_io  # noqa: E402

OUT = os.path.join("tests", "AnomalyDetection.Tensors.Tests", "Fixtures", "ops")
torch.manual_seed(1234)


def rand(*shape, low=-1.0, high=1.0):
    return torch.rand(tuple(shape), dtype=torch.float64) * (high - low) + low


def case(name, fn, *inputs, differentiable=None):
    """Evaluates fn in float64 (so the golden values carry no float32 rounding of their own) and stores float32."""
    differentiable = differentiable if differentiable is not None else [True] * len(inputs)
    leaves = [x.clone().requires_grad_(d) for x, d in zip(inputs, differentiable)]
    out = fn(*leaves)
    grad_out = rand(*out.shape)
    tensors = {f"input.{i}": x.detach() for i, x in enumerate(leaves)}
    tensors["output"] = out.detach()
    tensors["grad_output"] = grad_out
    wanted = [x for x in leaves if x.requires_grad]
    if wanted:
        grads = torch.autograd.grad(out, wanted, grad_out, allow_unused=True)
        it = iter(grads)
        for i, x in enumerate(leaves):
            if x.requires_grad:
                g = next(it)
                tensors[f"grad.{i}"] = g if g is not None else torch.zeros_like(x)
    safetensors_io.save(os.path.join(OUT, name + ".safetensors"), tensors, {"torch": torch.__version__})


def main():
    os.makedirs(OUT, exist_ok=True)
    # Convolution family
    case("conv2d_3x3_s1_p1_bias", lambda x, w, b: F.conv2d(x, w, b, 1, 1), rand(2, 3, 7, 6), rand(4, 3, 3, 3), rand(4))
    case("conv2d_4x4_s2_p1", lambda x, w: F.conv2d(x, w, None, 2, 1), rand(2, 3, 8, 8), rand(5, 3, 4, 4))
    case("conv2d_3x3_dilation2", lambda x, w, b: F.conv2d(x, w, b, 1, 2, 2), rand(1, 2, 9, 9), rand(3, 2, 3, 3), rand(3))
    case("conv2d_7x7_p3", lambda x, w: F.conv2d(x, w, None, 1, 3), rand(2, 1, 10, 10), rand(2, 1, 7, 7))
    case("conv2d_1x1_bias", lambda x, w, b: F.conv2d(x, w, b), rand(2, 5, 4, 4), rand(3, 5, 1, 1), rand(3))
    case("conv_transpose2d_4x4_s2_p1", lambda x, w: F.conv_transpose2d(x, w, None, 2, 1), rand(2, 4, 4, 4), rand(4, 3, 4, 4))
    case("conv_transpose2d_3x3_s2_p1_op1_bias", lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1), rand(1, 3, 5, 5), rand(3, 2, 3, 3), rand(2))
    case("matmul_2d", lambda a, b: a @ b, rand(5, 7), rand(7, 3))
    case("matmul_batched_broadcast", lambda a, b: a @ b, rand(2, 4, 6), rand(1, 6, 3))
    case("linear_bias", lambda x, w, b: F.linear(x, w, b), rand(3, 2, 5), rand(4, 5), rand(4))
    # Element-wise and activations
    case("relu", F.relu, rand(3, 17))
    case("leaky_relu_0.2", lambda x: F.leaky_relu(x, 0.2), rand(3, 17))
    case("tanh", torch.tanh, rand(3, 17, low=-3, high=3))
    case("sigmoid", torch.sigmoid, rand(3, 17, low=-6, high=6))
    case("gelu", F.gelu, rand(3, 17, low=-4, high=4))
    case("softmax_dim1", lambda x: F.softmax(x, 1), rand(2, 5, 3, low=-5, high=5))
    case("log_softmax_last", lambda x: F.log_softmax(x, -1), rand(4, 9, low=-5, high=5))
    case("abs", torch.abs, rand(40))
    case("sqrt", torch.sqrt, rand(40, low=0.1, high=4))
    case("exp", torch.exp, rand(40, low=-3, high=3))
    case("log", torch.log, rand(40, low=0.1, high=4))
    case("pow_2.5", lambda x: x.pow(2.5), rand(40, low=0.1, high=3))
    case("clamp", lambda x: x.clamp(-0.5, 0.3), rand(40))
    case("variance_unbiased_dims", lambda x: x.var(dim=(0, 2), unbiased=True, keepdim=True), rand(3, 4, 5))
    # Normalisation
    case("instance_norm_affine", lambda x, g, b: F.instance_norm(x, weight=g, bias=b), rand(2, 3, 5, 4), rand(3), rand(3))
    case("instance_norm_plain", lambda x: F.instance_norm(x), rand(2, 3, 6, 6))
    case("batch_norm_train_affine", lambda x, g, b: F.batch_norm(x, None, None, g, b, training=True), rand(4, 3, 3, 3), rand(3), rand(3))
    case("layer_norm_last2", lambda x, g, b: F.layer_norm(x, (4, 5), g, b), rand(2, 3, 4, 5), rand(4, 5), rand(4, 5))
    # Pooling and resampling
    case("avg_pool_2_s2", lambda x: F.avg_pool2d(x, 2, 2), rand(2, 3, 6, 6))
    case("avg_pool_3_s2_p1", lambda x: F.avg_pool2d(x, 3, 2, 1), rand(1, 2, 7, 7))
    case("max_pool_3_s2_p1", lambda x: F.max_pool2d(x, 3, 2, 1), rand(1, 2, 7, 7))
    case("upsample_nearest_x2", lambda x: F.interpolate(x, size=(8, 6), mode="nearest"), rand(1, 2, 4, 3))
    case("upsample_bilinear", lambda x: F.interpolate(x, size=(7, 9), mode="bilinear", align_corners=False), rand(1, 2, 4, 5))
    case("upsample_bilinear_align", lambda x: F.interpolate(x, size=(7, 9), mode="bilinear", align_corners=True), rand(1, 2, 4, 5))
    case("downsample_bilinear", lambda x: F.interpolate(x, size=(3, 4), mode="bilinear", align_corners=False), rand(1, 2, 8, 9))
    # Movement
    case("pad_asymmetric", lambda x: F.pad(x, (1, 2, 0, 3), value=0.5), rand(1, 2, 3, 4))
    case("unfold_2x2_s2", lambda x: F.unfold(x, 2, stride=2), rand(2, 3, 4, 6))
    case("unfold_3x3_p1", lambda x: F.unfold(x, 3, padding=1), rand(1, 2, 4, 4))
    case("fold_2x2_s2", lambda x: F.fold(x, (4, 6), 2, stride=2), rand(2, 12, 6))
    case("fold_3x3_p1", lambda x: F.fold(x, (4, 4), 3, padding=1), rand(1, 18, 16))
    case("permute_0231", lambda x: x.permute(0, 2, 3, 1), rand(2, 3, 4, 5))
    case("concat_dim1", lambda a, b: torch.cat([a, b], 1), rand(2, 3, 4), rand(2, 2, 4))
    case("slice_dim2", lambda x: x[:, :, 1:4], rand(2, 3, 6))
    # Losses
    case("l1_loss", F.l1_loss, rand(3, 7), rand(3, 7))
    case("mse_loss_sum", lambda a, b: F.mse_loss(a, b, reduction="sum"), rand(3, 7), rand(3, 7))
    case("bce_with_logits", F.binary_cross_entropy_with_logits, rand(3, 7, low=-8, high=8), torch.rand(3, 7, dtype=torch.float64), differentiable=[True, False])
    print("wrote", len(os.listdir(OUT)), "fixtures to", OUT)


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main()
