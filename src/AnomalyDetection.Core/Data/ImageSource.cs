using AnomalyDetection.Imaging;

namespace AnomalyDetection.Data;

/// <summary>Where an image comes from: a file decoded on demand, or an image already in memory.</summary>
public sealed class ImageSource
{
    private ImageSource(string? filePath, ImageData? image)
    {
        FilePath = filePath;
        Image = image;
    }

    /// <summary>The file, or <see langword="null"/> for an in-memory image.</summary>
    public string? FilePath { get; }

    /// <summary>The in-memory image, or <see langword="null"/> for a file.</summary>
    public ImageData? Image { get; }

    /// <summary>A source that reads <paramref name="filePath"/> (PNG, PGM or PPM) each time it is loaded.</summary>
    /// <param name="filePath">The image file.</param>
    /// <returns>The source.</returns>
    public static ImageSource FromFile(string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        return new ImageSource(filePath, null);
    }

    /// <summary>A source that returns <paramref name="image"/>.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The source.</returns>
    public static ImageSource FromImage(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ImageSource(null, image);
    }

    /// <summary>Returns the image, decoding the file if there is one.</summary>
    /// <returns>The image.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public ImageData Load() => Image ?? ImageIO.Load(FilePath!);

    /// <summary>Returns the image, reading the file asynchronously if there is one.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The image.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public Task<ImageData> LoadAsync(CancellationToken cancellationToken = default) =>
        Image is not null ? Task.FromResult(Image) : ImageIO.LoadAsync(FilePath!, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => FilePath ?? Image!.ToString();
}
