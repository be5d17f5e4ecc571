namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Batch normalisation over (N, H, W) per channel of an NCHW tensor.</summary>
    /// <param name="input">Input of shape (N, C, H, W) or (N, C).</param>
    /// <param name="runningMean">Running mean (C), updated in place in training; used in evaluation.</param>
    /// <param name="runningVar">Running (unbiased) variance (C), updated in place in training.</param>
    /// <param name="weight">Optional scale (C).</param>
    /// <param name="bias">Optional shift (C).</param>
    /// <param name="training">Use batch statistics (and update the running ones) rather than running statistics.</param>
    /// <param name="momentum">Running-statistics update factor.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static Tensor BatchNorm2d(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum = 0.1f, float epsilon = 1e-5f) => throw Pending(nameof(BatchNorm2d));

    /// <summary>Instance normalisation over (H, W) per sample and channel.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="runningMean">Optional running mean (C), updated in place when <paramref name="useInputStatistics"/>.</param>
    /// <param name="runningVar">Optional running variance (C).</param>
    /// <param name="weight">Optional scale (C).</param>
    /// <param name="bias">Optional shift (C).</param>
    /// <param name="useInputStatistics">Normalise with each instance's own statistics (true in training, and always when no running statistics are tracked).</param>
    /// <param name="momentum">Running-statistics update factor.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static Tensor InstanceNorm2d(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool useInputStatistics = true, float momentum = 0.1f, float epsilon = 1e-5f) => throw Pending(nameof(InstanceNorm2d));

    /// <summary>Layer normalisation over the trailing <paramref name="normalizedDims"/> dimensions.</summary>
    /// <param name="input">The input.</param>
    /// <param name="normalizedDims">How many trailing dimensions are normalised together.</param>
    /// <param name="weight">Optional scale with the shape of those dimensions.</param>
    /// <param name="bias">Optional shift with the shape of those dimensions.</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static Tensor LayerNorm(Tensor input, int normalizedDims, Tensor? weight, Tensor? bias, float epsilon = 1e-5f) =>
        throw Pending(nameof(LayerNorm));
}
