namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Average pooling over NCHW windows (padding counted in the divisor, PyTorch's default).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the kernel size.</param>
    /// <param name="padding">Zero padding on each side.</param>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0) => throw Pending(nameof(AvgPool2d));

    /// <summary>Max pooling over NCHW windows (the gradient goes to the first maximal element).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step; defaults to the kernel size.</param>
    /// <param name="padding">Padding with −∞ on each side.</param>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0) => throw Pending(nameof(MaxPool2d));

    /// <summary>Nearest-neighbour resize of an NCHW tensor (PyTorch's 'nearest': source index = floor(dst · in / out)).</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="outputHeight">The new height.</param>
    /// <param name="outputWidth">The new width.</param>
    public static Tensor UpsampleNearest2d(Tensor input, int outputHeight, int outputWidth) => throw Pending(nameof(UpsampleNearest2d));

    /// <summary>Bilinear resize of an NCHW tensor.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <param name="outputHeight">The new height.</param>
    /// <param name="outputWidth">The new width.</param>
    /// <param name="alignCorners">Align the corner pixels' centres (PyTorch's align_corners).</param>
    public static Tensor UpsampleBilinear2d(Tensor input, int outputHeight, int outputWidth, bool alignCorners = false) =>
        throw Pending(nameof(UpsampleBilinear2d));
}
