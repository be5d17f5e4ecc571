using System.Collections;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Data;

/// <summary>A dataset held as a list of items, built from files, in-memory images, or another dataset.</summary>
public sealed class ImageDataset : IImageDataset
{
    private readonly LabeledImage[] _items;

    /// <summary>Creates a dataset from items.</summary>
    /// <param name="name">A name for logs and reports.</param>
    /// <param name="items">The items, in order.</param>
    /// <exception cref="ArgumentException">The name is empty or an item is <see langword="null"/>.</exception>
    public ImageDataset(string name, IEnumerable<LabeledImage> items)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        var missing = Array.IndexOf(_items, null);
        if (missing >= 0)
        {
            throw new ArgumentException($"Item {missing} is null.", nameof(items));
        }

        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <inheritdoc/>
    public LabeledImage this[int index] => _items[index];

    /// <summary>A dataset of in-memory images that all carry one label, named <c>"0"</c>, <c>"1"</c>, ….</summary>
    /// <param name="name">The dataset's name.</param>
    /// <param name="images">The images.</param>
    /// <param name="label">Their label.</param>
    /// <returns>The dataset.</returns>
    public static ImageDataset FromImages(string name, IEnumerable<ImageData> images, AnomalyLabel label)
    {
        ArgumentNullException.ThrowIfNull(images);
        return new ImageDataset(name, images.Select((image, i) => new LabeledImage(i.ToString(System.Globalization.CultureInfo.InvariantCulture), label, ImageSource.FromImage(image))));
    }

    /// <inheritdoc/>
    public IEnumerator<LabeledImage> GetEnumerator() => ((IEnumerable<LabeledImage>)_items).GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Count} images)";
}
