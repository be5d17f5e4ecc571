namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Fused forward and backward passes of layer normalisation over contiguous rows, parallel over rows.</summary>
internal static class LayerNormKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>Normalises each row of <paramref name="width"/> elements and applies the element-wise affine map.</summary>
    public static (float[] Output, float[] Mean, float[] InvStd) Forward(float[] x, int width, float[]? gamma, float[]? beta, float epsilon)
    {
        var rows = x.Length / width;
        var y = GC.AllocateUninitializedArray<float>(x.Length);
        var mean = new float[rows];
        var invStd = new float[rows];
        var scale = gamma ?? Filled(width, 1f);
        var shift = beta ?? new float[width];
        Parallelism.For(rows, MinRowsPerThread(width), (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                var xs = x.AsSpan(row * width, width);
                var (sum, squares) = NormalizationLoops.ShiftedMoments(xs, xs[0]);
                var (m, variance) = NormalizationLoops.MeanAndVariance(xs[0], sum, squares, width);
                var s = NormalizationLoops.InverseStd(variance, epsilon);
                mean[row] = m;
                invStd[row] = s;
                if (gamma is null && beta is null)
                {
                    NormalizationLoops.ScaleShift(xs, s, -m * s, y.AsSpan(row * width, width));
                }
                else
                {
                    NormalizationLoops.NormalizeAffine(xs, m, s, scale, shift, y.AsSpan(row * width, width));
                }
            }
        });
        return (y, mean, invStd);
    }

    /// <summary>The input gradient invStd·(gγ − mean(gγ) − x̂·mean(gγ·x̂)) per row.</summary>
    public static float[] InputGradient(float[] x, float[] g, int width, float[] mean, float[] invStd, float[]? gamma)
    {
        var rows = x.Length / width;
        var dx = GC.AllocateUninitializedArray<float>(x.Length);
        Parallelism.For(rows, MinRowsPerThread(width), (start, end) =>
        {
            for (var row = start; row < end; row++)
            {
                var xs = x.AsSpan(row * width, width);
                var gs = g.AsSpan(row * width, width);
                var (sum, dot) = gamma is null
                    ? NormalizationLoops.GradientMoments(gs, xs, mean[row])
                    : NormalizationLoops.WeightedGradientMoments(gs, xs, gamma, mean[row]);
                double s = invStd[row];
                var c1 = (float)(-s * s * s * dot / width);
                var c0 = (float)(-s * sum / width);
                if (gamma is null)
                {
                    NormalizationLoops.InputGradient(gs, xs, invStd[row], mean[row], c1, c0, dx.AsSpan(row * width, width));
                }
                else
                {
                    NormalizationLoops.WeightedInputGradient(gs, xs, gamma, invStd[row], mean[row], c1, c0, dx.AsSpan(row * width, width));
                }
            }
        });
        return dx;
    }

    /// <summary>dγ = Σ_rows g·x̂ and dβ = Σ_rows g. The columns are split between threads, so every sum runs over
    /// the rows in order on one thread.</summary>
    public static (float[] Gamma, float[] Beta) AffineGradients(float[] x, float[] g, int width, float[] mean, float[] invStd)
    {
        var rows = x.Length / width;
        var dGamma = new float[width];
        var dBeta = new float[width];
        Parallelism.For(width, Math.Max(1, ParallelGrain / Math.Max(1, rows)), (start, end) =>
        {
            for (var row = 0; row < rows; row++)
            {
                var at = (row * width) + start;
                NormalizationLoops.AccumulateAffineGradients(
                    g.AsSpan(at, end - start), x.AsSpan(at, end - start), mean[row], invStd[row], dGamma.AsSpan(start, end - start), dBeta.AsSpan(start, end - start));
            }
        });
        return (dGamma, dBeta);
    }

    private static float[] Filled(int length, float value)
    {
        var result = new float[length];
        result.AsSpan().Fill(value);
        return result;
    }

    private static int MinRowsPerThread(int width) => Math.Max(1, ParallelGrain / Math.Max(1, width));
}
