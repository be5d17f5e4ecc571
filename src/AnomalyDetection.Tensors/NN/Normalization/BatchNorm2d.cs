namespace AnomalyDetection.Tensors.NN;

/// <summary>Batch normalisation over (N, H, W) per channel, PyTorch's <c>nn.BatchNorm2d</c>.</summary>
/// <remarks>
/// In training mode (or when no running statistics are tracked) it normalises with the batch's statistics and
/// updates the running ones; in evaluation mode it uses the running statistics. The buffers are named as in PyTorch
/// (<c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>), the last held as a float32 scalar.
/// </remarks>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="epsilon">Added to the variance for stability.</param>
    /// <param name="momentum">Running-statistics update factor: running = (1 − momentum)·running + momentum·batch.</param>
    /// <param name="affine">Whether to learn a per-channel scale γ and shift β.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics for evaluation mode.</param>
    public BatchNorm2d(int numFeatures, float epsilon = 1e-5f, float momentum = 0.1f, bool affine = true, bool trackRunningStats = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        NumFeatures = numFeatures;
        Epsilon = epsilon;
        Momentum = momentum;
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

    /// <summary>The scale γ (C), or null when not affine.</summary>
    public Tensor? Weight { get; }

    /// <summary>The shift β (C), or null when not affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>The running mean (C), or null when statistics are not tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>The running unbiased variance (C), or null when statistics are not tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>How many training batches updated the running statistics (a scalar), or null when they are not tracked.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Normalises the batch.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, NumFeatures, $"BatchNorm2d({NumFeatures})");
        var output = Functional.BatchNorm2d(input, RunningMean, RunningVar, Weight, Bias, training: IsTraining || RunningMean is null, Momentum, Epsilon);
        if (IsTraining && NumBatchesTracked is not null)
        {
            NumBatchesTracked.AsSpan()[0] += 1f;
        }

        return output;
    }
}
