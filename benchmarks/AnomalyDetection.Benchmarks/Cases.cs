using System.Diagnostics;
using AnomalyDetection.Tensors;

namespace AnomalyDetection.Benchmarks;

/// <summary>The registry of benchmark cases; add new groups (whole networks, training steps) as more factories here.</summary>
internal static class Cases
{
    private const int Batch = 16;

    public static IReadOnlyList<BenchmarkCase> All { get; } =
    [
        PeakProbe.Case,
        MatMul(1024, 1024, 1024),
        MatMul(64, 576, 4096),
        MatMul(256, 256, 256),
        .. ConvPair("3x3 s1 64->64 @64px", 64, 64, 64, 3, 1, 1),
        .. ConvPair("DCGAN-D 4x4 s2 1->64 @64px", 1, 64, 64, 4, 2, 1),
        .. ConvPair("DCGAN-D 4x4 s2 64->128 @32px", 64, 128, 32, 4, 2, 1),
        .. ConvPair("DCGAN-D 4x4 s2 128->256 @16px", 128, 256, 16, 4, 2, 1),
        .. ConvPair("DCGAN-D 4x4 s2 256->512 @8px", 256, 512, 8, 4, 2, 1),
        .. ConvTransposePair("DCGAN-G 4x4 s2 128->64 @16px", 128, 64, 16, 4, 2, 1),
    ];

    private static BenchmarkCase MatMul(int m, int k, int n) => new(
        "gemm", $"sgemm {m}x{k}x{n}", 2.0 * m * n * k, [new("torch.mm", $"matmul {m} {k} {n}"), new("oneDNN", $"matmul-dnnl {m} {k} {n}")], () =>
        {
            var random = new RandomSource(1);
            var a = Tensor.Normal(random, 0f, 1f, m, k);
            var b = Tensor.Normal(random, 0f, 1f, k, n);
            return () => Functional.MatMul(a, b);
        });

    private static BenchmarkCase[] ConvPair(string name, int cin, int cout, int size, int kernel, int stride, int padding)
    {
        var outSize = ((size + (2 * padding) - kernel) / stride) + 1;
        var flops = 2.0 * cout * cin * kernel * kernel * Batch * outSize * outSize;
        var spec = $"{Batch} {cin} {size} {size} {cout} {kernel} {stride} {padding}";
        return
        [
            new("conv", $"{name} fwd", flops, [new("torch", $"conv fwd {spec}")], () => ConvStep(cin, cout, size, train: false, (x, w, b) => Functional.Conv2d(x, w, b, stride, padding), [cout, cin, kernel, kernel])),
            new("conv", $"{name} fwd+bwd", 3 * flops, [new("torch", $"conv fwdbwd {spec}")], () => ConvStep(cin, cout, size, train: true, (x, w, b) => Functional.Conv2d(x, w, b, stride, padding), [cout, cin, kernel, kernel])),
        ];
    }

    private static BenchmarkCase[] ConvTransposePair(string name, int cin, int cout, int size, int kernel, int stride, int padding)
    {
        var outSize = ((size - 1) * stride) - (2 * padding) + kernel;
        var flops = 2.0 * cin * cout * kernel * kernel * Batch * size * size;
        var spec = $"{Batch} {cin} {size} {size} {cout} {kernel} {stride} {padding} 0";
        Debug.Assert(outSize > 0, "The layer must produce an output.");
        return
        [
            new("conv", $"{name} fwd", flops, [new("torch", $"convt fwd {spec}")], () => ConvStep(cin, cout, size, train: false, (x, w, b) => Functional.ConvTranspose2d(x, w, b, stride, padding), [cin, cout, kernel, kernel])),
            new("conv", $"{name} fwd+bwd", 3 * flops, [new("torch", $"convt fwdbwd {spec}")], () => ConvStep(cin, cout, size, train: true, (x, w, b) => Functional.ConvTranspose2d(x, w, b, stride, padding), [cin, cout, kernel, kernel])),
        ];
    }

    /// <summary>Inference (no graph) or one forward and backward into the input, weight and bias.</summary>
    private static Action ConvStep(int cin, int cout, int size, bool train, Func<Tensor, Tensor, Tensor, Tensor> layer, int[] weightShape)
    {
        var random = new RandomSource(2);
        var x = Tensor.Normal(random, 0f, 1f, Batch, cin, size, size).WithRequiresGrad(train);
        var w = Tensor.Normal(random, 0f, 0.05f, weightShape).WithRequiresGrad(train);
        var b = Tensor.Zeros(cout).WithRequiresGrad(train);
        if (!train)
        {
            return () =>
            {
                using var noGrad = GradMode.NoGrad();
                layer(x, w, b);
            };
        }

        Tensor gradient;
        using (GradMode.NoGrad())
        {
            gradient = Tensor.Normal(random, 0f, 1f, layer(x, w, b).ShapeArray());
        }

        return () =>
        {
            x.Grad = w.Grad = b.Grad = null;
            layer(x, w, b).Backward(gradient);
        };
    }
}
