namespace AnomalyDetection.Tensors.NN;

/// <summary>A 2-D convolution over NCHW images with square kernels, PyTorch's <c>nn.Conv2d</c> (one group).</summary>
/// <remarks>Weight and bias start as U(±1/√(inChannels·k²)), PyTorch's default.</remarks>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer and initialises it.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">The side of the square kernel.</param>
    /// <param name="stride">Step between kernel applications.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="hasBias">Whether to learn a per-channel bias.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        bool hasBias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        var source = Init.Resolve(random, nameof(Conv2d));
        Weight = RegisterParameter("weight", Tensor.Zeros(outChannels, inChannels, kernelSize, kernelSize));
        Init.DefaultWeight(Weight, source);
        if (hasBias)
        {
            Bias = RegisterParameter("bias", Tensor.Zeros(outChannels));
            Init.DefaultBias(Bias, Weight, source);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>The side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Step between kernel applications.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>The kernels, of shape (outChannels, inChannels, k, k).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, of shape (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the convolution.</summary>
    /// <param name="input">Input of shape (N, inChannels, H, W).</param>
    /// <returns>Output of shape (N, outChannels, H_out, W_out).</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, InChannels, $"Conv2d({InChannels} → {OutChannels})");
        return Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation);
    }
}
