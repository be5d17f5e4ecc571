"""PyTorch side of the AnomalyDetection benchmark console.

The console starts this script as a worker (with Debian's /usr/bin/python3) and talks to it over stdin/stdout, so
that TorchSharp and PyTorch are timed in interleaved rounds of one run. Protocol, one line each way:

    console -> worker:  "<iterations> <spec>"     runs the workload <iterations> times
    worker -> console:  "<seconds per iteration>"

    console -> worker:  "scores <spec>"            runs a scoring workload once
    worker -> console:  "<score> <score> ..."      its image scores, for the console's check that both sides agree

or "error <message>" for either. Specs name a workload of torch_networks.py with its settings. On start the worker
prints "ready <torch version> threads <n> blas <libraries> core <OpenBLAS core>", or "PyTorch not installed" and exits.
"""

import ctypes
import os
import sys
import time

# Must be set before torch (libgomp) loads; see torch_networks.py. The console passes it in the environment.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import torch
except ImportError:
    print("PyTorch not installed", flush=True)
    sys.exit(0)

import torch_networks  # noqa: E402

_cache = {}


def _blas():
    """The BLAS libraries this process loaded: PyTorch 1.13 calls whatever libblas.so.3 resolves to for torch.mm and
    its transposed convolutions (the netlib reference BLAS is 10-40x slower than OpenBLAS), and OpenBLAS's core."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # makes sure the BLAS is loaded
    with open("/proc/self/maps") as maps:
        paths = sorted({os.path.realpath(line.split()[-1]) for line in maps if "blas" in line.lower()})
    core = "none"
    for path in paths:
        if "openblas" in os.path.basename(path):
            try:
                library = ctypes.CDLL(path)
                library.openblas_get_corename.restype = ctypes.c_char_p
                core = library.openblas_get_corename().decode()
            except (OSError, AttributeError):
                pass
    return (",".join(paths) or "none"), core


def main():
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    torch.set_num_threads(threads)
    blas, core = _blas()
    print(f"ready {torch.__version__} threads {torch.get_num_threads()} blas {blas} core {core}", flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            command, spec = line.split(" ", 1)
            run = _cache.get(spec) or _cache.setdefault(spec, torch_networks.build(spec))
            if command == "scores":
                scores, _ = run()
                print(" ".join(f"{float(v):.9g}" for v in scores), flush=True)
                continue
            iterations = int(command)
            start = time.perf_counter()
            for _ in range(iterations):
                run()
            print(f"{(time.perf_counter() - start) / iterations:.9f}", flush=True)
        except Exception as e:  # report to the console rather than dying mid-run
            print(f"error {type(e).__name__}: {e}".replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
