namespace AnomalyDetection.Tensors.NN;

/// <summary>A 2-D transposed convolution with square kernels, PyTorch's <c>nn.ConvTranspose2d</c> (one group).</summary>
/// <remarks>The weight has shape (inChannels, outChannels, k, k), and PyTorch's default initialisation takes its fan-in
/// from dimension 1, so weight and bias start as U(±1/√(outChannels·k²)).</remarks>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer and initialises it.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">The side of the square kernel.</param>
    /// <param name="stride">Up-sampling step.</param>
    /// <param name="padding">Implicit padding removed from each side of the output.</param>
    /// <param name="outputPadding">Extra rows and columns added to one side of the output; less than the stride or the dilation.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="hasBias">Whether to learn a per-channel bias.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0,
        int dilation = 1, bool hasBias = true, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPadding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        if (outputPadding >= Math.Max(stride, dilation))
        {
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding,
                $"Output padding must be smaller than the stride ({stride}) or the dilation ({dilation}).");
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Dilation = dilation;
        var source = Init.Resolve(random, nameof(ConvTranspose2d));
        Weight = RegisterParameter("weight", Tensor.Zeros(inChannels, outChannels, kernelSize, kernelSize));
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

    /// <summary>Up-sampling step.</summary>
    public int Stride { get; }

    /// <summary>Implicit padding removed from each side of the output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows and columns added to one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>The kernels, of shape (inChannels, outChannels, k, k).</summary>
    public Tensor Weight { get; }

    /// <summary>The bias, of shape (outChannels), or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Applies the transposed convolution.</summary>
    /// <param name="input">Input of shape (N, inChannels, H, W).</param>
    /// <returns>Output of shape (N, outChannels, (H−1)·stride − 2·padding + dilation·(k−1) + outputPadding + 1, …).</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, InChannels, $"ConvTranspose2d({InChannels} → {OutChannels})");
        return Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Dilation);
    }
}
