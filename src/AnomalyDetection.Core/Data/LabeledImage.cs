using AnomalyDetection.Imaging;

namespace AnomalyDetection.Data;

/// <summary>One dataset item: an image, its label, and optionally a pixel-level ground-truth mask.</summary>
/// <remarks>An item without a mask has no annotated anomaly pixels: for a normal image that means an all-zero
/// mask; for an abnormal one it means the pixels are not annotated.</remarks>
public sealed record LabeledImage
{
    /// <summary>Creates an item.</summary>
    /// <param name="name">An identifier, unique within its dataset (folder readers use the path relative to the dataset root).</param>
    /// <param name="label">The ground truth.</param>
    /// <param name="image">Where the image comes from.</param>
    /// <param name="mask">Where the mask comes from (same size as the image, anomaly pixels non-zero), if any.</param>
    /// <param name="category">A finer grouping, such as the defect type of an MVTec image or the folder it came from.</param>
    /// <exception cref="ArgumentException">The name is empty or the label is undefined.</exception>
    public LabeledImage(string name, AnomalyLabel label, ImageSource image, ImageSource? mask = null, string? category = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(image);
        if (!Enum.IsDefined(label))
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, "Unknown label.");
        }

        Name = name;
        Label = label;
        Image = image;
        Mask = mask;
        Category = category;
    }

    /// <summary>The item's identifier.</summary>
    public string Name { get; }

    /// <summary>The ground truth.</summary>
    public AnomalyLabel Label { get; }

    /// <summary>Where the image comes from.</summary>
    public ImageSource Image { get; }

    /// <summary>Where the ground-truth mask comes from, or <see langword="null"/>.</summary>
    public ImageSource? Mask { get; }

    /// <summary>A finer grouping (defect type, source folder), or <see langword="null"/>.</summary>
    public string? Category { get; }

    /// <summary>Loads the image.</summary>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public ImageData LoadImage() => Image.Load();

    /// <summary>Loads the image asynchronously.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The decoded image.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public Task<ImageData> LoadImageAsync(CancellationToken cancellationToken = default) => Image.LoadAsync(cancellationToken);

    /// <summary>Loads the mask as a one-channel image of 0s and 1s, or returns <see langword="null"/> if there is none.</summary>
    /// <returns>The binary mask: 1 where the stored mask is at least half bright in any colour channel.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public ImageData? LoadMask() => Mask is null ? null : Binarize(Mask.Load());

    /// <summary>Loads the mask asynchronously as a one-channel image of 0s and 1s, or returns <see langword="null"/>.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The binary mask, or <see langword="null"/>.</returns>
    /// <exception cref="InvalidImageException">The file cannot be decoded.</exception>
    public async Task<ImageData?> LoadMaskAsync(CancellationToken cancellationToken = default) =>
        Mask is null ? null : Binarize(await Mask.LoadAsync(cancellationToken).ConfigureAwait(false));

    private static ImageData Binarize(ImageData mask)
    {
        var colorChannels = mask.HasAlpha ? mask.Channels - 1 : mask.Channels;
        var binary = new float[mask.PixelCount];
        for (var c = 0; c < colorChannels; c++)
        {
            var channel = mask.Channel(c);
            for (var i = 0; i < binary.Length; i++)
            {
                if (channel[i] >= 0.5f)
                {
                    binary[i] = 1f;
                }
            }
        }

        return mask.WithPixels(1, binary);
    }
}
