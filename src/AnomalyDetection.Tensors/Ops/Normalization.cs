using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

// The normalisation layers run fused kernels: one pass for the statistics, one for normalise-and-affine, and a
// closed-form fused backward. Their backward is first order only; gradient penalties never pass through them here.
public static partial class Functional
{
    /// <summary>Batch normalisation over (N, H, W) per channel of an NCHW tensor.</summary>
    /// <param name="input">Input of shape (N, C, H, W) or (N, C).</param>
    /// <param name="runningMean">Running mean (C), updated in place in training; used in evaluation.</param>
    /// <param name="runningVar">Running (unbiased) variance (C), updated in place in training.</param>
    /// <param name="weight">Optional scale (C).</param>
    /// <param name="bias">Optional shift (C).</param>
    /// <param name="training">Use batch statistics (and update the running ones) rather than running statistics.</param>
    /// <param name="momentum">Running-statistics update factor: running = (1 − momentum)·running + momentum·batch.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <exception cref="ArgumentException">A shape does not fit, only one running statistic is given, running statistics are
    /// missing in evaluation, or training sees a single value per channel.</exception>
    public static Tensor BatchNorm2d(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank is not (2 or 4))
        {
            throw new ArgumentException($"BatchNorm2d expects input of rank 4 (N, C, H, W) or 2 (N, C) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        var spatial = input.Rank == 4 ? input.Shape[2] * input.Shape[3] : 1;
        var channels = CheckChannelNormArguments(nameof(BatchNorm2d), input, runningMean, runningVar, weight, bias, momentum, epsilon);
        if (training && input.Shape[0] * spatial <= 1)
        {
            throw new ArgumentException(
                $"BatchNorm2d in training needs more than one value per channel, but the input has shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        if (!training && (runningMean is null || runningVar is null))
        {
            throw new ArgumentException("BatchNorm2d in evaluation needs running statistics (runningMean and runningVar).", nameof(runningMean));
        }

        var groups = new ChannelGroups(input.Shape[0], channels, spatial, PerInstance: false);
        return ChannelNorm(input, weight, bias, groups, training, runningMean, runningVar, momentum, epsilon);
    }

    /// <summary>Instance normalisation over (H, W) per sample and channel.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="runningMean">Optional running mean (C), updated in place when <paramref name="useInputStatistics"/>
    /// (to the batch average of the instance means, as PyTorch does).</param>
    /// <param name="runningVar">Optional running variance (C), updated with the batch average of the unbiased instance variances.</param>
    /// <param name="weight">Optional scale (C).</param>
    /// <param name="bias">Optional shift (C).</param>
    /// <param name="useInputStatistics">Normalise with each instance's own statistics (true in training, and always when no
    /// running statistics are tracked); false normalises with the running statistics.</param>
    /// <param name="momentum">Running-statistics update factor.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <exception cref="ArgumentException">A shape does not fit, only one running statistic is given, running statistics are
    /// missing when <paramref name="useInputStatistics"/> is false, or instance statistics are asked of a 1×1 image.</exception>
    public static Tensor InstanceNorm2d(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool useInputStatistics = true, float momentum = 0.1f, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            throw new ArgumentException($"InstanceNorm2d expects input of rank 4 (N, C, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        var spatial = input.Shape[2] * input.Shape[3];
        var channels = CheckChannelNormArguments(nameof(InstanceNorm2d), input, runningMean, runningVar, weight, bias, momentum, epsilon);
        if (useInputStatistics && spatial <= 1)
        {
            throw new ArgumentException(
                $"InstanceNorm2d with input statistics needs more than one spatial element, but the input has shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        if (!useInputStatistics && (runningMean is null || runningVar is null))
        {
            throw new ArgumentException("InstanceNorm2d without input statistics needs running statistics (runningMean and runningVar).", nameof(runningMean));
        }

        var groups = new ChannelGroups(input.Shape[0], channels, spatial, PerInstance: useInputStatistics);
        return ChannelNorm(input, weight, bias, groups, useInputStatistics, runningMean, runningVar, momentum, epsilon);
    }

    /// <summary>Layer normalisation over the trailing <paramref name="normalizedDims"/> dimensions.</summary>
    /// <param name="input">The input.</param>
    /// <param name="normalizedDims">How many trailing dimensions are normalised together.</param>
    /// <param name="weight">Optional scale with the shape of those dimensions.</param>
    /// <param name="bias">Optional shift with the shape of those dimensions.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <exception cref="ArgumentException">The weight or bias shape differs from the normalised dimensions, or they are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normalizedDims"/> is not in [1, Rank].</exception>
    public static Tensor LayerNorm(Tensor input, int normalizedDims, Tensor? weight, Tensor? bias, float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentOutOfRangeException.ThrowIfLessThan(normalizedDims, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(normalizedDims, input.Rank);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        var normalizedShape = input.Shape[^normalizedDims..];
        var width = ShapeUtil.Count(normalizedShape);
        if (width == 0)
        {
            throw new ArgumentException($"LayerNorm cannot normalise over empty dimensions {ShapeUtil.Format(normalizedShape)}.", nameof(input));
        }

        foreach (var (parameter, name) in new[] { (weight, nameof(weight)), (bias, nameof(bias)) })
        {
            if (parameter is not null && !ShapeUtil.SameShape(parameter.Shape, normalizedShape))
            {
                throw new ArgumentException(
                    $"LayerNorm over the last {normalizedDims} dimensions of shape {ShapeUtil.Format(input.Shape)} needs a {name} of shape {ShapeUtil.Format(normalizedShape)}, but got {ShapeUtil.Format(parameter.Shape)}.",
                    name);
            }
        }

        var (y, mean, invStd) = LayerNormKernels.Forward(input.Data, width, weight?.Data, bias?.Data, epsilon);
        var result = new Tensor(y, input.ShapeArray());
        return Tensor.ShouldRecord(input, weight, bias) ? result.Record(new LayerNormBackward(input, weight, bias, width, mean, invStd)) : result;
    }

    /// <summary>Checks the per-channel tensors and constants shared by batch and instance norm; returns C.</summary>
    private static int CheckChannelNormArguments(string op, Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias, float momentum, float epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(momentum);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(momentum, 1f);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        if (input.Count == 0)
        {
            throw new ArgumentException($"{op} needs a non-empty input, but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        var channels = input.Shape[1];
        foreach (var (vector, name) in new[] { (runningMean, nameof(runningMean)), (runningVar, nameof(runningVar)), (weight, nameof(weight)), (bias, nameof(bias)) })
        {
            if (vector is not null && (vector.Rank != 1 || vector.Count != channels))
            {
                throw new ArgumentException(
                    $"{op} on input of shape {ShapeUtil.Format(input.Shape)} needs a {name} of shape [{channels}], but got {ShapeUtil.Format(vector.Shape)}.", name);
            }
        }

        if ((runningMean is null) != (runningVar is null))
        {
            throw new ArgumentException($"{op} needs both runningMean and runningVar, or neither.", runningMean is null ? nameof(runningMean) : nameof(runningVar));
        }

        return channels;
    }

    private static Tensor ChannelNorm(Tensor input, Tensor? weight, Tensor? bias, ChannelGroups groups, bool batchStatistics,
        Tensor? runningMean, Tensor? runningVar, float momentum, float epsilon)
    {
        float[] output, mean, invStd;
        if (batchStatistics)
        {
            (output, mean, var variance, invStd) = ChannelNormKernels.NormalizeWithBatchStatistics(input.Data, groups, epsilon, weight?.Data, bias?.Data);
            if (runningMean is not null && runningVar is not null)
            {
                UpdateRunningStatistics(runningMean, runningVar, groups, mean, variance, momentum);
            }
        }
        else
        {
            // Copies: the running statistics may change in place before backward runs.
            mean = runningMean!.ToArray();
            invStd = Array.ConvertAll(runningVar!.ToArray(), v => NormalizationLoops.InverseStd(v, epsilon));
            output = ChannelNormKernels.Normalize(input.Data, groups, mean, invStd, weight?.Data, bias?.Data);
        }

        var result = new Tensor(output, input.ShapeArray());
        return Tensor.ShouldRecord(input, weight, bias)
            ? result.Record(new ChannelNormBackward(input, weight, bias, groups, mean, invStd, batchStatistics))
            : result;
    }

    /// <summary>
    /// running = (1 − momentum)·running + momentum·batch, with the unbiased variance. For instance statistics the batch
    /// value of a channel is the average over the samples, which is what PyTorch's instance norm does.
    /// </summary>
    private static void UpdateRunningStatistics(Tensor runningMean, Tensor runningVar, ChannelGroups groups, float[] mean, double[] variance, float momentum)
    {
        var unbiased = groups.Size / (groups.Size - 1.0);
        var perChannel = groups.Count / groups.Channels;
        var rm = runningMean.AsSpan();
        var rv = runningVar.AsSpan();
        for (var c = 0; c < groups.Channels; c++)
        {
            double m = 0, v = 0;
            for (var k = 0; k < perChannel; k++)
            {
                var group = (k * groups.Channels) + c;
                m += mean[group];
                v += variance[group] * unbiased;
            }

            rm[c] = (float)(((1 - momentum) * (double)rm[c]) + (momentum * m / perChannel));
            rv[c] = (float)(((1 - momentum) * (double)rv[c]) + (momentum * v / perChannel));
        }
    }

    private sealed class ChannelNormBackward(Tensor input, Tensor? weight, Tensor? bias, ChannelGroups groups, float[] mean, float[] invStd, bool batchStatistics)
        : GradNode(input, weight, bias)
    {
        private readonly bool _hasWeight = weight is not null;
        private readonly bool _hasBias = bias is not null;

        public override Tensor?[] Backward(Tensor g)
        {
            RequireFirstOrder();
            var x = Input(0);
            var needWeight = _hasWeight && NeedsGradient(1);
            var needBias = _hasBias && NeedsGradient(2);
            var (dx, dGamma, dBeta) = ChannelNormKernels.Backward(
                x.Data, g.Data, groups, mean, invStd, _hasWeight ? Input(1).Data : null, batchStatistics, NeedsGradient(0), needWeight, needBias);
            return
            [
                dx is null ? null : new Tensor(dx, x.ShapeArray()),
                needWeight ? new Tensor(dGamma!, [groups.Channels]) : null,
                needBias ? new Tensor(dBeta!, [groups.Channels]) : null,
            ];
        }
    }

    private sealed class LayerNormBackward(Tensor input, Tensor? weight, Tensor? bias, int width, float[] mean, float[] invStd)
        : GradNode(input, weight, bias)
    {
        private readonly bool _hasWeight = weight is not null;
        private readonly bool _hasBias = bias is not null;

        public override Tensor?[] Backward(Tensor g)
        {
            RequireFirstOrder();
            var x = Input(0);
            var needWeight = _hasWeight && NeedsGradient(1);
            var needBias = _hasBias && NeedsGradient(2);
            var dx = NeedsGradient(0) ? LayerNormKernels.InputGradient(x.Data, g.Data, width, mean, invStd, _hasWeight ? Input(1).Data : null) : null;
            var (dGamma, dBeta) = needWeight || needBias ? LayerNormKernels.AffineGradients(x.Data, g.Data, width, mean, invStd) : (null, null);
            return
            [
                dx is null ? null : new Tensor(dx, x.ShapeArray()),
                needWeight ? new Tensor(dGamma!, Input(1).ShapeArray()) : null,
                needBias ? new Tensor(dBeta!, Input(2).ShapeArray()) : null,
            ];
        }
    }
}
