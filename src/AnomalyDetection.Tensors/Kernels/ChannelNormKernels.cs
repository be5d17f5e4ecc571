using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// How an (N, C, S) tensor is grouped for normalisation statistics: per channel across the batch (batch norm) or per
/// sample and channel (instance norm). Either way the tensor is N·C contiguous segments of S elements, and the scale
/// and shift are per channel.
/// </summary>
internal readonly record struct ChannelGroups(int Batch, int Channels, int Spatial, bool PerInstance)
{
    /// <summary>The number of contiguous (sample, channel) segments.</summary>
    public int Segments => Batch * Channels;

    /// <summary>The number of statistics groups.</summary>
    public int Count => PerInstance ? Batch * Channels : Channels;

    /// <summary>Elements per statistics group.</summary>
    public int Size => PerInstance ? Spatial : Batch * Spatial;

    /// <summary>The statistics group of a segment.</summary>
    public int GroupOf(int segment) => PerInstance ? segment : segment % Channels;
}

/// <summary>Fused forward and backward passes of batch and instance normalisation, parallel over segments.</summary>
internal static class ChannelNormKernels
{
    private const int ParallelGrain = 1 << 16;

    /// <summary>The mean and biased variance of every group, in one pass over the input.</summary>
    public static (float[] Mean, double[] Variance) Statistics(float[] x, ChannelGroups groups)
    {
        var spatial = groups.Spatial;
        var sums = new double[groups.Segments];
        var squares = new double[groups.Segments];

        // Each group's first element is its shift; the first segment of group c (or of instance c) starts at c·S.
        Parallelism.For(groups.Segments, MinSegmentsPerThread(spatial), (start, end) =>
        {
            for (var segment = start; segment < end; segment++)
            {
                var shift = x[groups.GroupOf(segment) * spatial];
                (sums[segment], squares[segment]) = NormalizationLoops.ShiftedMoments(x.AsSpan(segment * spatial, spatial), shift);
            }
        });

        var mean = new float[groups.Count];
        var variance = new double[groups.Count];
        for (var group = 0; group < groups.Count; group++)
        {
            var (sum, sumOfSquares) = SumOverGroup(sums, squares, group, groups);
            var shiftedMean = sum / groups.Size;
            mean[group] = (float)(x[group * spatial] + shiftedMean);
            variance[group] = Math.Max(0, (sumOfSquares / groups.Size) - (shiftedMean * shiftedMean));
        }

        return (mean, variance);
    }

    /// <summary>y = (x − mean)·invStd·γ + β per segment, as one multiply-add with per-segment constants.</summary>
    public static float[] Normalize(float[] x, ChannelGroups groups, float[] mean, float[] invStd, float[]? gamma, float[]? beta)
    {
        var spatial = groups.Spatial;
        var y = GC.AllocateUninitializedArray<float>(x.Length);
        Parallelism.For(groups.Segments, MinSegmentsPerThread(spatial), (start, end) =>
        {
            for (var segment = start; segment < end; segment++)
            {
                var channel = segment % groups.Channels;
                var group = groups.GroupOf(segment);
                var a = (gamma?[channel] ?? 1f) * invStd[group];
                var b = (beta?[channel] ?? 0f) - (mean[group] * a);
                NormalizationLoops.ScaleShift(x.AsSpan(segment * spatial, spatial), a, b, y.AsSpan(segment * spatial, spatial));
            }
        });
        return y;
    }

    /// <summary>
    /// Gradients of the input, scale and shift. With batch statistics the input gradient is the closed form
    /// (γ/σ)·(g − mean(g) − x̂·mean(g·x̂)) over each group; with fixed statistics it is (γ/σ)·g.
    /// </summary>
    public static (float[]? Input, float[]? Gamma, float[]? Beta) Backward(
        float[] x, float[] g, ChannelGroups groups, float[] mean, float[] invStd, float[]? gamma, bool batchStatistics,
        bool needInput, bool needGamma, bool needBeta)
    {
        var spatial = groups.Spatial;
        var channels = groups.Channels;
        var minPerThread = MinSegmentsPerThread(spatial);
        double[]? sums = null, dots = null;
        if (needGamma || needBeta || (needInput && batchStatistics))
        {
            // Per segment: Σg and Σg·(x − mean).
            var s = sums = new double[groups.Segments];
            var d = dots = new double[groups.Segments];
            Parallelism.For(groups.Segments, minPerThread, (start, end) =>
            {
                for (var segment = start; segment < end; segment++)
                {
                    var at = segment * spatial;
                    (s[segment], d[segment]) = NormalizationLoops.GradientMoments(g.AsSpan(at, spatial), x.AsSpan(at, spatial), mean[groups.GroupOf(segment)]);
                }
            });
        }

        float[]? dGamma = null, dBeta = null;
        if (needGamma || needBeta)
        {
            dGamma = new float[channels];
            dBeta = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                double gammaSum = 0, betaSum = 0;
                for (var segment = c; segment < groups.Segments; segment += channels)
                {
                    gammaSum += dots![segment] * invStd[groups.GroupOf(segment)];
                    betaSum += sums![segment];
                }

                dGamma[c] = (float)gammaSum;
                dBeta[c] = (float)betaSum;
            }
        }

        float[]? dx = null;
        if (needInput)
        {
            var result = dx = GC.AllocateUninitializedArray<float>(x.Length);
            double[]? groupSums = null, groupDots = null;
            if (batchStatistics)
            {
                groupSums = new double[groups.Count];
                groupDots = new double[groups.Count];
                for (var group = 0; group < groups.Count; group++)
                {
                    (groupSums[group], groupDots[group]) = SumOverGroup(sums!, dots!, group, groups);
                }
            }

            Parallelism.For(groups.Segments, minPerThread, (start, end) =>
            {
                for (var segment = start; segment < end; segment++)
                {
                    var group = groups.GroupOf(segment);
                    var a = (gamma?[segment % channels] ?? 1f) * invStd[group];
                    var gs = g.AsSpan(segment * spatial, spatial);
                    var dxs = result.AsSpan(segment * spatial, spatial);
                    if (groupSums is null || groupDots is null)
                    {
                        TensorPrimitives.Multiply(gs, a, dxs);
                        continue;
                    }

                    double sigma = invStd[group];
                    var c1 = (float)(-a * sigma * sigma * groupDots[group] / groups.Size);
                    var c0 = (float)(-a * groupSums[group] / groups.Size);
                    NormalizationLoops.InputGradient(gs, x.AsSpan(segment * spatial, spatial), a, mean[group], c1, c0, dxs);
                }
            });
        }

        return (dx, dGamma, dBeta);
    }

    /// <summary>Adds per-segment values over the segments of one group, in a fixed order.</summary>
    private static (double First, double Second) SumOverGroup(double[] first, double[] second, int group, ChannelGroups groups)
    {
        if (groups.PerInstance)
        {
            return (first[group], second[group]);
        }

        double a = 0, b = 0;
        for (var segment = group; segment < groups.Segments; segment += groups.Channels)
        {
            a += first[segment];
            b += second[segment];
        }

        return (a, b);
    }

    private static int MinSegmentsPerThread(int spatial) => Math.Max(1, ParallelGrain / Math.Max(1, spatial));
}
