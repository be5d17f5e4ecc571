namespace AnomalyDetection.Tensors.NN;

/// <summary>Average pooling over square windows, PyTorch's <c>nn.AvgPool2d</c>; zero padding counts in the divisor.</summary>
public sealed class AvgPool2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="kernelSize">The side of the square window.</param>
    /// <param name="stride">The step; defaults to the kernel size.</param>
    /// <param name="padding">Zero padding on each side; at most half the kernel size.</param>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride ?? kernelSize, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(padding, kernelSize / 2);
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
    }

    /// <summary>The side of the square window.</summary>
    public int KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Pools each channel.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <returns>Output of shape (N, C, ⌊(H + 2·padding − k) / stride⌋ + 1, …).</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, null, $"AvgPool2d({KernelSize})");
        return Functional.AvgPool2d(input, KernelSize, Stride, Padding);
    }
}
