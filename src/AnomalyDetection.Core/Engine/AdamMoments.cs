using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>One parameter's Adam state: its step count and the running averages of its gradients and their squares.</summary>
public sealed class AdamMoments
{
    internal AdamMoments(Tensor average, Tensor squaredAverage)
    {
        Average = average;
        SquaredAverage = squaredAverage;
    }

    /// <summary>How many steps have updated the parameter.</summary>
    public long Step { get; internal set; }

    /// <summary>The running average of the gradients (PyTorch's <c>exp_avg</c>), of the parameter's shape.</summary>
    public Tensor Average { get; }

    /// <summary>The running average of the squared gradients (PyTorch's <c>exp_avg_sq</c>), of the parameter's shape.</summary>
    public Tensor SquaredAverage { get; }
}
