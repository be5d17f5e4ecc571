namespace AnomalyDetection.Tensors.NN;

/// <summary>Resizes NCHW images by an integer scale factor or to a fixed size, PyTorch's <c>nn.Upsample</c>.</summary>
public sealed class Upsample : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer; give exactly one of <paramref name="scaleFactor"/> and <paramref name="size"/>.</summary>
    /// <param name="scaleFactor">The integer factor applied to height and width.</param>
    /// <param name="size">The fixed output size.</param>
    /// <param name="mode">The interpolation.</param>
    /// <param name="alignCorners">For <see cref="UpsampleMode.Bilinear"/>, align the corner pixels' centres (PyTorch's
    /// align_corners); must be false for <see cref="UpsampleMode.Nearest"/>.</param>
    public Upsample(int? scaleFactor = null, (int Height, int Width)? size = null, UpsampleMode mode = UpsampleMode.Nearest, bool alignCorners = false)
    {
        if (scaleFactor.HasValue == size.HasValue)
        {
            throw new ArgumentException("Upsample needs exactly one of scaleFactor and size.", nameof(scaleFactor));
        }

        if (scaleFactor is { } factor)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor, nameof(scaleFactor));
        }

        if (size is { } s && (s.Height <= 0 || s.Width <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The output size must be positive.");
        }

        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown upsampling mode.");
        }

        if (alignCorners && mode != UpsampleMode.Bilinear)
        {
            throw new ArgumentException("alignCorners applies only to bilinear upsampling.", nameof(alignCorners));
        }

        ScaleFactor = scaleFactor;
        Size = size;
        Mode = mode;
        AlignCorners = alignCorners;
    }

    /// <summary>The integer scale factor, or null when a fixed size is set.</summary>
    public int? ScaleFactor { get; }

    /// <summary>The fixed output size, or null when a scale factor is set.</summary>
    public (int Height, int Width)? Size { get; }

    /// <summary>The interpolation.</summary>
    public UpsampleMode Mode { get; }

    /// <summary>Whether bilinear interpolation aligns the corner pixels' centres.</summary>
    public bool AlignCorners { get; }

    /// <summary>Resizes the images.</summary>
    /// <param name="input">Input of shape (N, C, H, W).</param>
    /// <returns>Output of shape (N, C, H·scale, W·scale) or (N, C, size.Height, size.Width).</returns>
    public override Tensor Forward(Tensor input)
    {
        LayerGuard.CheckImage(input, null, nameof(Upsample));
        var (height, width) = Size ?? (checked(input.Size(2) * ScaleFactor!.Value), checked(input.Size(3) * ScaleFactor!.Value));
        return Mode == UpsampleMode.Nearest
            ? Functional.UpsampleNearest2d(input, height, width)
            : Functional.UpsampleBilinear2d(input, height, width, AlignCorners);
    }
}
