namespace AnomalyDetection.Imaging;

/// <summary>
/// Upper bounds that every decoder checks against the header before it allocates anything, so that a forged
/// header cannot make the process allocate gigabytes.
/// </summary>
public static class ImageLimits
{
    /// <summary>The largest width × height a 2-D image may declare: 2^26 pixels (for example 8192 × 8192).</summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>The largest width × height × depth a volume may declare: 2^27 voxels (for example 512³; 512 MiB as float32).</summary>
    public const long MaxVoxels = 1L << 27;

    /// <summary>The most output bytes one input byte of deflate data can produce (the format's limit is about 1032).</summary>
    internal const long MaxDeflateRatio = 1032;
}
