"""Groups a `perf report` of the benchmark console into where the time goes, by kind of work.

    DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 999 -o perf.data -- \
        dotnet AnomalyDetection.Benchmarks.dll "U-Net+attn-G b16 64px" --no-torch --rounds 5
    perf report -i perf.data --sort dso,symbol --stdio 2>/dev/null | python3 benchmarks/perf_summary.py

The perf map (DOTNET_PerfMapEnabled) names JIT-compiled methods; write-xor-execute must be off for perf to
attribute samples to it. Prints each group's share of all samples and its five heaviest symbols.
"""

import re
import sys
from collections import defaultdict

# First match wins; patterns are matched against "dso symbol".
GROUPS = [
    ("GEMM micro-kernel", r"GemmKernel(512|256|Scalar)::Compute"),
    ("GEMM packing and stores", r"GemmMatrix::|GemmOperands|GemmBatched|Gemm::"),
    ("convolution im2col / col2im", r"Conv(PixelRun|GatherPlan|Col2ImOutput|Im2Col|Gemm)"),
    ("normalisation kernels", r"ChannelNorm|NormalizationLoops|LayerNorm"),
    ("element-wise and reductions", r"VectorLoop|BinaryKernels|BroadcastBinary|Elementwise|UnaryKernels|ActivationKernels|"
                                    r"TensorPrimitives|Arithmetic|SumTo|Reduction|LossKernels|MaskKernels"),
    ("data movement (concat, pooling, permute)", r"ConcatKernels|PoolingKernels|PermuteKernels|PaddingKernels|Movement"),
    ("optimiser", r"Optim\.|UpdateKernels|Adam"),
    ("memory clearing and copies", r"memset|memcpy|memmove|SpanHelpers::(Clear|Fill)|Buffer::Memmove"),
    ("kernel: page faults and memory management", r"^\[kernel\S*\].*(fault|page|folio|lru|mm_|clear_|zap|mmap|munmap|madvise|pte|memcg)"),
    ("kernel: scheduling and other", r"^\[kernel"),
    ("garbage collector and runtime (libcoreclr)", r"^libcoreclr"),
    ("JIT compiler", r"^libclrjit"),
    ("thread pool, Parallel.For and synchronisation", r"System\.Threading|Parallel|ThreadPool|Monitor|SpinWait|__tls_get_addr|libc\.so"),
]

line_pattern = re.compile(r"^\s*([\d.]+)%\s+(\[JIT\] tid \d+|\S+)\s+\[[.k]\]\s+(.*?)\s*$")
totals = defaultdict(float)
symbols = defaultdict(lambda: defaultdict(float))
for line in sys.stdin:
    match = line_pattern.match(line)
    if not match:
        continue
    share, dso, symbol = float(match.group(1)), match.group(2), match.group(3).strip()
    # Tiers of one method (QuickJitted, OptimizedTier1, ...) are the same code.
    symbol = re.sub(r"\[(QuickJitted|InstrumentedTier|OptimizedTier1|OptimizedTier1OSR|Optimized|Tier0|Tier1)\]$", "", symbol)
    symbol = re.sub(r"^(instance )?\S+ \[[^]]+\] (AnomalyDetection\.Tensors\.)?", "", symbol)
    key = f"{dso} {symbol}"
    group = next((name for name, pattern in GROUPS if re.search(pattern, key)), "other")
    totals[group] += share
    symbols[group][symbol[:110]] += share

for group, share in sorted(totals.items(), key=lambda item: -item[1]):
    print(f"{share:6.1f}%  {group}")
    for symbol, part in sorted(symbols[group].items(), key=lambda item: -item[1])[:5]:
        print(f"        {part:5.1f}%  {symbol}")
