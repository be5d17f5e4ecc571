"""Groups a `perf report` of a TorchSharp or PyTorch process into where the time goes, by kind of work.

Both engines run LibTorch kernels (TorchSharp: LibTorch 2.10 with oneDNN and oneMKL linked in; Debian's PyTorch
1.13: libtorch_cpu with the system's oneDNN 2.6 and OpenBLAS), so one grouping serves both. oneDNN generates its
convolution kernels at run time; ONEDNN_JIT_PROFILE=2 (DNNL_JIT_PROFILE=2 for oneDNN 2.x) names them in a perf map,
as DOTNET_PerfMapEnabled=1 does for .NET's JIT-compiled methods. For example, the console's SAGAN iteration alone:

    OMP_WAIT_POLICY=PASSIVE ONEDNN_JIT_PROFILE=2 DOTNET_PerfMapEnabled=1 \
      perf record -F 999 -o ts.data -- dotnet benchmarks/AnomalyDetection.Benchmarks/bin/Release/net10.0/AnomalyDetection.Benchmarks.dll \
      sagan-step --no-torch --no-memory --rounds 5
    perf report -i ts.data --sort dso,symbol --stdio 2>/dev/null | python3 benchmarks/perf_summary.py

and the PyTorch twin, with the spec the console prints for the workload:

    OMP_WAIT_POLICY=PASSIVE DNNL_JIT_PROFILE=2 perf record -F 999 -o pt.data -- \
      /usr/bin/python3 benchmarks/torch_networks.py --peak-memory "SPEC" --steps 10

Prints each group's share of all samples and its five heaviest symbols.
"""

import re
import sys
from collections import defaultdict

# First match wins; patterns are matched against "dso symbol".
GROUPS = [
    ("generated code without a name (oneDNN kernels when no perf map names them)", r"^\[JIT\] tid \d+ 0x[0-9a-f]+$|^\[unknown\]|^//anon"),
    ("oneDNN convolution kernels (generated and library)", r"jit_|dnnl|brgemm|brdgmm|gemm_conv|_jit_|\bjit\b|mkldnn|Convolution|conv_"),
    ("BLAS / GEMM (oneMKL, OpenBLAS)", r"sgemm|gemm|openblas|libblas|mkl_blas|mkl_|dgemm|kernel_[a-z0-9_]*(zen|haswell|skylake)"),
    ("normalisation kernels (instance / batch norm)", r"batch_norm|instance_norm|BatchNorm|native_batch_norm|norm_kernel"),
    ("element-wise kernels and reductions (ATen)", r"at::vec|Vectorized|cpu_kernel|vectorized_loop|basic_loop|reduce|Reduce|binary_kernel|"
                                                     r"unary|pointwise|at::native|leaky_relu|threshold|sigmoid|tanh|abs_|sqrt|pow_|addcmul|addcdiv|"
                                                     r"_foreach|sum_kernel|mean_kernel|copy_kernel|fill_kernel|softplus|log1p"),
    ("tensor data movement (cat, permute, copy, index)", r"cat_serial|cat_|CatArrays|copy_|permute|index_|scatter|gather|repeat_interleave|"
                                                       r"unfold|col2im|im2col|TensorIterator"),
    ("autograd engine and dispatch", r"torch::autograd|autograd|c10::Dispatcher|c10::impl|OperatorHandle|at::_ops|VariableType|"
                                     r"c10::IValue|TensorImpl|intrusive_ptr|c10::"),
    ("memory: allocation, clearing, copying", r"malloc|free|calloc|realloc|memset|memcpy|memmove|CPUAllocator|alloc_cpu|_int_free|"
                                              r"_int_malloc|posix_memalign"),
    ("OpenMP runtime (libgomp)", r"libgomp|gomp_|GOMP_"),
    ("kernel: page faults and memory management", r"^\[kernel\S*\].*(fault|page|folio|lru|mm_|clear_|zap|mmap|munmap|madvise|pte|memcg)"),
    ("kernel: scheduling and other", r"^\[kernel"),
    (".NET runtime, JIT, managed code and TorchSharp interop", r"^libcoreclr|^libclrjit|^libLibTorchSharp|^libSystem|\[JIT\] tid|System\.|TorchSharp\.|AnomalyDetection\."),
    ("Python interpreter", r"^python3|_PyEval|^libpython|Py[A-Z]"),
]

line_pattern = re.compile(r"^\s*([\d.]+)%\s+(\[JIT\] tid \d+|\S+)\s+\[[.k]\]\s+(.*?)\s*$")
totals = defaultdict(float)
symbols = defaultdict(lambda: defaultdict(float))
for line in sys.stdin:
    match = line_pattern.match(line)
    if not match:
        continue
    share, dso, symbol = float(match.group(1)), match.group(2), match.group(3).strip()
    key = f"{dso} {symbol}"
    group = next((name for name, pattern in GROUPS if re.search(pattern, key)), "other")
    totals[group] += share
    symbols[group][f"{dso}: {symbol}"[:120]] += share

for group, share in sorted(totals.items(), key=lambda item: -item[1]):
    print(f"{share:6.1f}%  {group}")
    for symbol, part in sorted(symbols[group].items(), key=lambda item: -item[1])[:5]:
        print(f"        {part:5.1f}%  {symbol}")
