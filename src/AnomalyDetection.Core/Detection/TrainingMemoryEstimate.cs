using System.Globalization;

namespace AnomalyDetection.Detection;

/// <summary>
/// A rough lower bound on the memory a training run needs, from the options alone, and the memory available, so that a
/// run that cannot fit (such as <c>ImageSize</c> 4096 at the default batch size) is refused before it starts instead of
/// failing in an allocation, or being killed by the system, partway through.
/// </summary>
/// <remarks>
/// The bound counts, in float32: each batch image's activations (<see cref="DetectorOptions.ActivationElementsPerImage"/>,
/// twice: an output and its activation function's output are both kept for the backward pass), the saved weights four
/// times (weights, gradients and Adam's two moments) and the preprocessed training images. Normalisation layers,
/// gradient buffers, attention and a detector's extra passes (SAGAN's critic steps and gradient penalty) need more, so
/// a run near the bound may still not fit; a run above it cannot.
/// </remarks>
public static class TrainingMemoryEstimate
{
    private const long BytesPerElement = sizeof(float);
    private const long TensorsKeptPerActivation = 2;
    private const long CopiesPerWeight = 4;

    /// <summary>The memory a training run of <paramref name="options"/> on <paramref name="imageCount"/> images needs at least.</summary>
    /// <param name="options">The detector's options.</param>
    /// <param name="imageCount">The training, validation and unlabeled images held in memory during training.</param>
    /// <returns>Bytes; 0 when the detector gives no activation estimate.</returns>
    public static long MinimumBytes(DetectorOptions options, int imageCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        var activations = options.ActivationElementsPerImage();
        if (activations <= 0)
        {
            return 0;
        }

        // Floating point: a forged size must not wrap around to a small number.
        var batch = (double)Math.Clamp(imageCount, 1, options.BatchSize);
        var pixels = (double)options.ImageSize * options.ImageSize * options.Channels;
        var elements = (batch * activations * TensorsKeptPerActivation) + (CopiesPerWeight * (double)SavedWeightCount.Of(options)) + (imageCount * pixels);
        return (long)Math.Min(elements * BytesPerElement, long.MaxValue);
    }

    /// <summary>The memory available to this process now: <c>MemAvailable</c> of <c>/proc/meminfo</c> where there is
    /// one (Linux: free memory plus what caches would give back), else the runtime's view of the total
    /// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits).</summary>
    /// <returns>Bytes.</returns>
    public static long AvailableBytes()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                    && long.TryParse(line["MemAvailable:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
                {
                    return Math.Min(kilobytes * 1024, total);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not readable: the runtime's figure stands.
        }

        return total;
    }

    /// <summary>Throws when a training run of <paramref name="options"/> needs more memory than is available.</summary>
    /// <param name="options">The detector's options.</param>
    /// <param name="kind">The detector kind, for the message.</param>
    /// <param name="imageCount">The images held in memory during training.</param>
    /// <exception cref="InsufficientMemoryException">The lower bound exceeds the available memory; the message names both.</exception>
    public static void ThrowIfTooLarge(DetectorOptions options, string kind, int imageCount)
    {
        ArgumentNullException.ThrowIfNull(options);
        var needed = MinimumBytes(options, imageCount);
        var available = AvailableBytes();
        if (needed > available)
        {
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"Training this {kind} detector needs at least {Gigabytes(needed)} of memory (ImageSize {options.ImageSize}, BatchSize {options.BatchSize}, {imageCount} images), " +
                $"but {Gigabytes(available)} is available; lower ImageSize or BatchSize."));
        }
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.0} GB");
}
