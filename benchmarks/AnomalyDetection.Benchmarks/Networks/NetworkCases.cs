using System.Globalization;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// The "networks" group: whole networks forward and backward, and a whole DCGAN training step, at batch 16. The
/// FLOP counts are the convolutions' (multiply-add = 2), forward ×3 for forward and backward.
/// </summary>
internal static class NetworkCases
{
    private const int Batch = 16;

    public static IReadOnlyList<BenchmarkCase> All { get; } =
    [
        Case("DCGAN-D b16 64px fwd+bwd", "dcgan-d", 64, 3 * DiscriminatorFlops()),
        Case("U-Net+attn-G b16 64px fwd+bwd", "unet", 64, 3 * UNetFlops(64)),
        Case("U-Net+attn-G b16 128px fwd+bwd", "unet", 128, 3 * UNetFlops(128)),
        Case("DCGAN step b16 64px (G+D, Adam)", "dcgan-step", 64, (3 * GeneratorFlops()) + (7 * DiscriminatorFlops())),
    ];

    private static BenchmarkCase Case(string name, string workload, int size, double flops)
    {
        var spec = string.Create(CultureInfo.InvariantCulture, $"{workload} {Batch} {size}");
        return new("networks", name, flops, [new("torch", "net " + spec)], () => Workloads.Create(workload, Batch, size));
    }

    /// <summary>FLOPs of one convolution layer: 2 · C_in · C_out · k² per output pixel.</summary>
    private static double Conv(int cin, int cout, int kernel, int outputSize) => 2.0 * Batch * cin * cout * kernel * kernel * outputSize * outputSize;

    /// <summary>A transposed convolution costs the same as the convolution it transposes (per input pixel).</summary>
    private static double ConvTranspose(int cin, int cout, int kernel, int inputSize) => Conv(cin, cout, kernel, inputSize);

    private static double DiscriminatorFlops() =>
        Conv(1, 64, 4, 32) + Conv(64, 128, 4, 16) + Conv(128, 256, 4, 8) + Conv(256, 512, 4, 4) + Conv(512, 1, 4, 1);

    private static double GeneratorFlops() =>
        ConvTranspose(100, 512, 4, 1) + ConvTranspose(512, 256, 4, 4) + ConvTranspose(256, 128, 4, 8) + ConvTranspose(128, 64, 4, 16) + ConvTranspose(64, 1, 4, 32);

    /// <summary>The 4-level, 32–256 channel <see cref="AttentionUNet"/>.</summary>
    private static double UNetFlops(int size)
    {
        var flops = Conv(1, 32, 3, size) + Conv(32, 32, 3, size) + Conv(32, 1, 1, size);
        for (var level = 1; level < 4; level++)
        {
            int width = 32 << level, below = width / 2, s = size >> level;
            flops += Conv(below, width, 3, s) + Conv(width, width, 3, s);

            // The decoder stage at the level below: up-sampling, the attention gate's 1×1s, two 3×3 convolutions.
            flops += ConvTranspose(width, below, 2, s) + (2 * Conv(below, below / 2, 1, 2 * s)) + Conv(below / 2, 1, 1, 2 * s);
            flops += Conv(2 * below, below, 3, 2 * s) + Conv(below, below, 3, 2 * s);
        }

        return flops;
    }
}
