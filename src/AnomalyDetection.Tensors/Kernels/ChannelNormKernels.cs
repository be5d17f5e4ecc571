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

    /// <summary>
    /// Normalises with each group's own statistics. Returns the output, each group's mean and biased variance, and
    /// 1/σ = 1/√(variance + ε).
    /// </summary>
    public static (float[] Output, float[] Mean, double[] Variance, float[] InvStd) NormalizeWithBatchStatistics(
        float[] x, ChannelGroups groups, float epsilon, float[]? gamma, float[]? beta)
    {
        if (!groups.PerInstance)
        {
            var (channelMean, channelVariance) = ChannelStatistics(x, groups);
            var channelInvStd = Array.ConvertAll(channelVariance, v => NormalizationLoops.InverseStd(v, epsilon));
            return (Normalize(x, groups, channelMean, channelInvStd, gamma, beta), channelMean, channelVariance, channelInvStd);
        }

        // Each segment is a whole group, so its statistics and its normalisation run back to back while it is in cache.
        var spatial = groups.Spatial;
        var y = GC.AllocateUninitializedArray<float>(x.Length);
        var mean = new float[groups.Count];
        var variance = new double[groups.Count];
        var invStd = new float[groups.Count];
        Parallelism.For(groups.Segments, MinSegmentsPerThread(spatial), (start, end) =>
        {
            for (var segment = start; segment < end; segment++)
            {
                var xs = x.AsSpan(segment * spatial, spatial);
                var (sum, squares) = NormalizationLoops.ShiftedMoments(xs, xs[0]);
                (mean[segment], variance[segment]) = NormalizationLoops.MeanAndVariance(xs[0], sum, squares, spatial);
                invStd[segment] = NormalizationLoops.InverseStd(variance[segment], epsilon);
                ScaleShiftSegment(x, y, segment, groups, mean, invStd, gamma, beta);
            }
        });
        return (y, mean, variance, invStd);
    }

    /// <summary>y = (x − mean)·invStd·γ + β per segment, with fixed statistics per group.</summary>
    public static float[] Normalize(float[] x, ChannelGroups groups, float[] mean, float[] invStd, float[]? gamma, float[]? beta)
    {
        var y = GC.AllocateUninitializedArray<float>(x.Length);
        Parallelism.For(groups.Segments, MinSegmentsPerThread(groups.Spatial), (start, end) =>
        {
            for (var segment = start; segment < end; segment++)
            {
                ScaleShiftSegment(x, y, segment, groups, mean, invStd, gamma, beta);
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
        var dx = needInput ? GC.AllocateUninitializedArray<float>(x.Length) : null;

        // With instance statistics each segment is a group, so its input gradient follows its sums at once.
        var inputWithSums = dx is not null && batchStatistics && groups.PerInstance;
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
                    if (inputWithSums)
                    {
                        InputGradientSegment(x, g, dx!, segment, groups, mean, invStd, gamma, s[segment], d[segment]);
                    }
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

        if (dx is not null && !inputWithSums)
        {
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
                    if (groupSums is null || groupDots is null)
                    {
                        var a = (gamma?[segment % channels] ?? 1f) * invStd[group];
                        TensorPrimitives.Multiply(g.AsSpan(segment * spatial, spatial), a, dx.AsSpan(segment * spatial, spatial));
                    }
                    else
                    {
                        InputGradientSegment(x, g, dx, segment, groups, mean, invStd, gamma, groupSums[group], groupDots[group]);
                    }
                }
            });
        }

        return (dx, dGamma, dBeta);
    }

    /// <summary>The mean and biased variance of each channel over the batch and the plane.</summary>
    private static (float[] Mean, double[] Variance) ChannelStatistics(float[] x, ChannelGroups groups)
    {
        var spatial = groups.Spatial;
        var sums = new double[groups.Segments];
        var squares = new double[groups.Segments];

        // Every segment of channel c is shifted by the channel's first element, x[c·S].
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
            (mean[group], variance[group]) = NormalizationLoops.MeanAndVariance(x[group * spatial], sum, sumOfSquares, groups.Size);
        }

        return (mean, variance);
    }

    private static void ScaleShiftSegment(float[] x, float[] y, int segment, ChannelGroups groups, float[] mean, float[] invStd, float[]? gamma, float[]? beta)
    {
        var channel = segment % groups.Channels;
        var group = groups.GroupOf(segment);
        var a = (gamma?[channel] ?? 1f) * invStd[group];
        var b = (beta?[channel] ?? 0f) - (mean[group] * a);
        NormalizationLoops.ScaleShift(x.AsSpan(segment * groups.Spatial, groups.Spatial), a, b, y.AsSpan(segment * groups.Spatial, groups.Spatial));
    }

    /// <summary>dx over one segment from its group's Σg and Σg·(x − mean).</summary>
    private static void InputGradientSegment(
        float[] x, float[] g, float[] dx, int segment, ChannelGroups groups, float[] mean, float[] invStd, float[]? gamma, double groupSum, double groupDot)
    {
        var group = groups.GroupOf(segment);
        var a = (gamma?[segment % groups.Channels] ?? 1f) * invStd[group];
        double sigma = invStd[group];
        var c1 = (float)(-a * sigma * sigma * groupDot / groups.Size);
        var c0 = (float)(-a * groupSum / groups.Size);
        var at = segment * groups.Spatial;
        NormalizationLoops.InputGradient(g.AsSpan(at, groups.Spatial), x.AsSpan(at, groups.Spatial), a, mean[group], c1, c0, dx.AsSpan(at, groups.Spatial));
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
