"""PyTorch side of the AnomalyDetection benchmark console.

The console starts this script as a worker (with /usr/bin/python3) and talks to it over stdin/stdout, so that
PyTorch and the managed engine are timed in interleaved rounds in one run. Protocol, one line each way:

    console -> worker:  "<iterations> <spec>"        e.g. "3 conv fwdbwd 16 64 64 64 64 3 1 1"
    worker -> console:  "<seconds per iteration>"    or "error <message>"

Specs:
    matmul M K N          torch.mm, which runs on whatever BLAS libblas.so.3 resolves to
    matmul-dnnl M K N     the same product through oneDNN's inner product (operands pre-converted to oneDNN
                          tensors, result left in oneDNN layout): PyTorch's best float32 GEMM when the BLAS is slow
    conv fwd|fwdbwd N C_in H W C_out kernel stride padding
    convt fwd|fwdbwd N C_in H W C_out kernel stride padding output_padding

On start the worker prints "ready <torch version> threads <n>", or "PyTorch not installed" and exits.
"""

import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("PyTorch not installed", flush=True)
    sys.exit(0)

torch.set_num_threads(2)
torch.manual_seed(0)
_cache = {}


def _matmul(m, k, n):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    return lambda: torch.mm(a, b)


def _matmul_dnnl(m, k, n):
    a = torch.randn(m, k).to_mkldnn()
    weight = torch.randn(k, n).t().contiguous().to_mkldnn()
    return lambda: torch._C._nn.mkldnn_linear(a, weight, None)


def _conv(mode, batch, cin, h, w, cout, kernel, stride, padding, output_padding=None):
    transposed = output_padding is not None
    train = mode == "fwdbwd"
    x = torch.randn(batch, cin, h, w, requires_grad=train)
    shape = (cin, cout, kernel, kernel) if transposed else (cout, cin, kernel, kernel)
    weight = (torch.randn(*shape) * 0.05).requires_grad_(train)
    bias = torch.zeros(cout, requires_grad=train)

    def forward():
        if transposed:
            return F.conv_transpose2d(x, weight, bias, stride=stride, padding=padding, output_padding=output_padding)
        return F.conv2d(x, weight, bias, stride=stride, padding=padding)

    if not train:
        def run():
            with torch.no_grad():
                forward()
        return run

    grad = torch.randn_like(forward())

    def step():
        x.grad = weight.grad = bias.grad = None
        forward().backward(grad)
    return step


def _build(spec):
    words = spec.split()
    kind, args = words[0], words[1:]
    if kind == "matmul":
        return _matmul(*map(int, args))
    if kind == "matmul-dnnl":
        return _matmul_dnnl(*map(int, args))
    if kind in ("conv", "convt"):
        # A transposed convolution's spec carries the output padding as a ninth number.
        return _conv(args[0], *map(int, args[1:]))
    raise ValueError(f"unknown spec '{spec}'")


def main():
    print(f"ready {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            iterations, spec = line.split(" ", 1)
            run = _cache.get(spec) or _cache.setdefault(spec, _build(spec))
            start = time.perf_counter()
            for _ in range(int(iterations)):
                run()
            elapsed = (time.perf_counter() - start) / int(iterations)
            print(f"{elapsed:.9f}", flush=True)
        except Exception as e:  # report to the console rather than dying mid-run
            print(f"error {type(e).__name__}: {e}", flush=True)


if __name__ == "__main__":
    main()
