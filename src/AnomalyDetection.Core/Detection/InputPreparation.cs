using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AnomalyDetection.Detection;

/// <summary>
/// The checks and preprocessing images and ground-truth masks go through before a detector scores them, so that a
/// non-finite sample or a misfitting mask is refused with a message instead of becoming a NaN score or a misplaced
/// lesion.
/// </summary>
/// <param name="preprocessing">The detector's preprocessing.</param>
internal sealed class InputPreparation(PreprocessingPipeline preprocessing)
{
    /// <summary>Checks and preprocesses <paramref name="count"/> images from <paramref name="start"/>.</summary>
    /// <param name="images">The caller's images.</param>
    /// <param name="start">The first image of the batch.</param>
    /// <param name="count">The batch size.</param>
    /// <returns>The preprocessed images.</returns>
    /// <exception cref="ArgumentException">An image is null or has NaN or infinite samples, before or after preprocessing.</exception>
    public ImageData[] PrepareBatch(IReadOnlyList<ImageData> images, int start, int count)
    {
        var prepared = new ImageData[count];
        for (var i = 0; i < count; i++)
        {
            var image = images[start + i] ?? throw new ArgumentException($"Image {start + i} is null.", nameof(images));
            ThrowIfNotFinite(image, start + i, "");
            prepared[i] = preprocessing.Apply(image);
            ThrowIfNotFinite(prepared[i], start + i, " after preprocessing");
        }

        return prepared;
    }

    /// <summary>The item's ground-truth mask through the preprocessing geometry, as one flag per map pixel.</summary>
    /// <param name="item">The labelled image; it has a mask.</param>
    /// <param name="image">The item's image, as loaded.</param>
    /// <param name="datasetName">Names the dataset in messages.</param>
    /// <param name="width">The anomaly map's width.</param>
    /// <param name="height">The anomaly map's height.</param>
    /// <exception cref="InvalidDatasetException">The mask is not of its image's size (stretching it would misplace the
    /// lesion), or does not preprocess to the map's size.</exception>
    public bool[] PreparedMask(LabeledImage item, ImageData image, string datasetName, int width, int height)
    {
        var raw = item.Mask!.Load();
        if (raw.Width != image.Width || raw.Height != image.Height)
        {
            throw new InvalidDatasetException(datasetName, $"the mask of '{item.Name}' is {raw.Width}×{raw.Height}, but its image is {image.Width}×{image.Height}; a mask must have its image's size.");
        }

        var mask = preprocessing.ApplyToMask(raw);
        if (mask.Width != width || mask.Height != height)
        {
            throw new InvalidDatasetException(datasetName, $"the mask of '{item.Name}' preprocesses to {mask.Width}×{mask.Height}, but the map is {width}×{height}.");
        }

        var plane = mask.Channel(0);
        var binary = new bool[plane.Length];
        for (var p = 0; p < binary.Length; p++)
        {
            binary[p] = plane[p] >= 0.5f;
        }

        return binary;
    }

    /// <summary>The number of NaN and infinite values.</summary>
    /// <param name="values">The values.</param>
    public static int CountNonFinite(ReadOnlySpan<float> values)
    {
        if (TensorPrimitives.IsFiniteAll(values))
        {
            return 0;
        }

        var bad = 0;
        foreach (var value in values)
        {
            bad += float.IsFinite(value) ? 0 : 1;
        }

        return bad;
    }

    /// <summary>Refuses NaN or infinite samples, which would otherwise come out as a NaN score labelled normal.</summary>
    private static void ThrowIfNotFinite(ImageData image, int index, string stage)
    {
        var bad = CountNonFinite(image.Pixels);
        if (bad > 0)
        {
            throw new ArgumentException($"Image {index} ({image.Width}×{image.Height}×{image.Channels}) has {bad} NaN or infinite sample(s){stage}; detectors score finite intensities only.", "images");
        }
    }
}
