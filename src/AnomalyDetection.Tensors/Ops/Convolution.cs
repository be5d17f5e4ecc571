namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>2-D convolution (cross-correlation, as in PyTorch) over an NCHW batch.</summary>
    /// <param name="input">Input of shape (N, C_in, H, W).</param>
    /// <param name="weight">Kernels of shape (C_out, C_in, kH, kW).</param>
    /// <param name="bias">Optional bias of shape (C_out).</param>
    /// <param name="stride">Step between kernel applications.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <returns>Output of shape (N, C_out, H_out, W_out).</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1) =>
        throw Pending(nameof(Conv2d));

    /// <summary>2-D transposed convolution (the adjoint of <see cref="Conv2d"/> with respect to its input).</summary>
    /// <param name="input">Input of shape (N, C_in, H, W).</param>
    /// <param name="weight">Kernels of shape (C_in, C_out, kH, kW), as in PyTorch.</param>
    /// <param name="bias">Optional bias of shape (C_out).</param>
    /// <param name="stride">Up-sampling step.</param>
    /// <param name="padding">Implicit padding removed from each side of the output.</param>
    /// <param name="outputPadding">Extra rows and columns added to one side of the output.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <returns>Output of shape (N, C_out, (H−1)·stride − 2·padding + dilation·(kH−1) + outputPadding + 1, …).</returns>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1) =>
        throw Pending(nameof(ConvTranspose2d));
}
