namespace AnomalyDetection.Tensors.NN;

/// <summary>Instance normalisation over (H, W) per sample and channel, PyTorch's <c>nn.InstanceNorm2d</c>.</summary>
/// <remarks>
/// As in PyTorch, it has no affine parameters and tracks no running statistics by default, so it always uses each
/// instance's own statistics. With <c>trackRunningStats</c> it uses the running statistics in evaluation mode,
/// unless <c>alwaysUseInstanceStatistics</c> is set: that reproduces models (SAGAN's official code among them)
/// that never switch to evaluation mode, while still recording running statistics during training.
/// </remarks>
public sealed class InstanceNorm2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="momentum">Running-statistics update factor.</param>
    /// <param name="affine">Whether to learn a per-channel scale γ (starting at 1) and shift β (starting at 0).</param>
    /// <param name="trackRunningStats">Whether to keep running statistics, used in evaluation mode.</param>
    /// <param name="alwaysUseInstanceStatistics">Normalise with instance statistics in evaluation mode too.</param>
    public InstanceNorm2d(int numFeatures, float epsilon = 1e-5f, float momentum = 0.1f, bool affine = false,
        bool trackRunningStats = false, bool alwaysUseInstanceStatistics = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        NumFeatures = numFeatures;
        Epsilon = epsilon;
        Momentum = momentum;
        AlwaysUseInstanceStatistics = alwaysUseInstanceStatistics;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(numFeatures));
            Bias = RegisterParameter("bias", Tensor.Zeros(numFeatures));
        }

        if (trackRunningStats)
        {
            RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(numFeatures));
            RunningVar = RegisterBuffer("running_var", Tensor.Ones(numFeatures));
            NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Scalar(0f));
        }
    }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public float Epsilon { get; }

    /// <summary>Running-statistics update factor.</summary>
    public float Momentum { get; }

    /// <summary>Whether evaluation mode, too, normalises with each instance's statistics.</summary>
    public bool AlwaysUseInstanceStatistics { get; }

    /// <summary>The scale γ (C), or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift β (C), or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean (C), or null when statistics are not tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running unbiased variance (C), or null when statistics are not tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>PyTorch's batch counter (a scalar), or null when statistics are not tracked. PyTorch registers it for
    /// instance norm but never advances it, and neither does this layer: it exists so that state dictionaries match.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Normalises each instance.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, NumFeatures, $"InstanceNorm2d({NumFeatures})");
        if (RunningMean is null || IsTraining)
        {
            return Functional.InstanceNorm2d(input, RunningMean, RunningVar, Weight, Bias, useInputStatistics: true, Momentum, Epsilon);
        }

        // Evaluation mode: the running statistics are read, or (with the override) left untouched.
        return AlwaysUseInstanceStatistics
            ? Functional.InstanceNorm2d(input, null, null, Weight, Bias, useInputStatistics: true, Momentum, Epsilon)
            : Functional.InstanceNorm2d(input, RunningMean, RunningVar, Weight, Bias, useInputStatistics: false, Momentum, Epsilon);
    }
}
