using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Preprocessing;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// Training images loaded once and kept preprocessed in memory, from which a trainer draws batches as NCHW tensors.
/// When the pipeline augments, each draw applies the random steps anew to the stored original.
/// </summary>
public sealed class TrainingImageSet
{
    private readonly ImageData[] _originals;
    private readonly float[] _prepared;
    private readonly PreprocessingPipeline _pipeline;
    private readonly bool _augments;

    private TrainingImageSet(ImageData[] originals, float[] prepared, int channels, int height, int width, PreprocessingPipeline pipeline)
    {
        _originals = originals;
        _prepared = prepared;
        _pipeline = pipeline;
        _augments = pipeline.Steps.Any(s => s.IsAugmentation);
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of images.</summary>
    public int Count => _originals.Length;

    /// <summary>Channels of every prepared image.</summary>
    public int Channels { get; }

    /// <summary>Height of every prepared image.</summary>
    public int Height { get; }

    /// <summary>Width of every prepared image.</summary>
    public int Width { get; }

    /// <summary>Loads and preprocesses every image of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The images.</param>
    /// <param name="pipeline">The preprocessing; every image must come out with the same shape.</param>
    /// <param name="cancellationToken">Checked between images.</param>
    /// <exception cref="InvalidDatasetException">The dataset is empty or images come out with different shapes.</exception>
    public static TrainingImageSet Load(IImageDataset dataset, PreprocessingPipeline pipeline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (dataset.Count == 0)
        {
            throw new InvalidDatasetException(dataset.Name, "it holds no images.");
        }

        var originals = new ImageData[dataset.Count];
        ImageData? first = null;
        float[]? prepared = null;
        for (var i = 0; i < originals.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            originals[i] = dataset[i].LoadImage();
            var image = pipeline.Apply(originals[i]);
            if (first is null)
            {
                first = image;
                prepared = new float[checked(image.Pixels.Length * originals.Length)];
            }
            else if (image.Width != first.Width || image.Height != first.Height || image.Channels != first.Channels)
            {
                throw new InvalidDatasetException(dataset.Name,
                    $"image '{dataset[i].Name}' preprocesses to {image.Width}×{image.Height}×{image.Channels}, but the first to {first.Width}×{first.Height}×{first.Channels}.");
            }

            ThrowIfNotFinite(image, dataset, i);
            image.Pixels.CopyTo(prepared.AsSpan(i * image.Pixels.Length));
        }

        return new TrainingImageSet(originals, prepared!, first!.Channels, first.Height, first.Width, pipeline);
    }

    /// <summary>
    /// Splits the set in two: a seeded random <paramref name="fraction"/> of its images (the draw of
    /// <see cref="ValidationSplit.Carve"/>) held out, for example to validate on, and the rest kept, each in the original order.
    /// </summary>
    /// <param name="fraction">The share to hold out, in (0, 1); each part must get at least one image.</param>
    /// <param name="seed">The seed; equal seeds hold out equal positions.</param>
    /// <returns>The images kept and those held out.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside (0, 1) or leaves a part empty.</exception>
    public (TrainingImageSet Kept, TrainingImageSet HeldOut) HoldOut(double fraction, long seed)
    {
        var held = ValidationSplit.HeldOut(Count, fraction, seed);
        return (Subset(i => !held[i]), Subset(i => held[i]));
    }

    /// <summary>The images at <paramref name="indices"/> as a float32 CPU tensor (N, C, H, W), augmented when the pipeline augments.</summary>
    /// <param name="indices">Image indices, in batch order.</param>
    /// <param name="random">Drives augmentation.</param>
    public Tensor Batch(ReadOnlySpan<int> indices, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var item = Channels * Height * Width;
        var data = new float[checked(item * indices.Length)];
        for (var b = 0; b < indices.Length; b++)
        {
            var index = indices[b];
            if (_augments)
            {
                _pipeline.ApplyForTraining(_originals[index], random).Pixels.CopyTo(data.AsSpan(b * item, item));
            }
            else
            {
                _prepared.AsSpan(index * item, item).CopyTo(data.AsSpan(b * item, item));
            }
        }

        return TensorData.FromArray(data, indices.Length, Channels, Height, Width);
    }

    /// <summary>All images, unaugmented, as one float32 CPU tensor (N, C, H, W).</summary>
    public Tensor All() => TensorData.FromArray(_prepared, Count, Channels, Height, Width);

    /// <summary>The images [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>),
    /// unaugmented, as a float32 CPU tensor (N, C, H, W): how calibration scores the validation images Fit has
    /// already prepared.</summary>
    /// <param name="start">The first image.</param>
    /// <param name="count">The number of images.</param>
    internal Tensor Range(int start, int count)
    {
        var item = Channels * Height * Width;
        return TensorData.FromArray(_prepared.AsSpan(start * item, count * item).ToArray(), count, Channels, Height, Width);
    }

    /// <summary>Image <paramref name="index"/> as loaded, before preprocessing.</summary>
    /// <param name="index">The image.</param>
    internal ImageData Original(int index) => _originals[index];

    private TrainingImageSet Subset(Func<int, bool> include)
    {
        var item = Channels * Height * Width;
        var indices = Enumerable.Range(0, Count).Where(include).ToArray();
        var prepared = new float[checked(item * indices.Length)];
        for (var i = 0; i < indices.Length; i++)
        {
            _prepared.AsSpan(indices[i] * item, item).CopyTo(prepared.AsSpan(i * item));
        }

        return new TrainingImageSet([.. indices.Select(i => _originals[i])], prepared, Channels, Height, Width, _pipeline);
    }

    private static void ThrowIfNotFinite(ImageData image, IImageDataset dataset, int index)
    {
        foreach (var value in image.Pixels)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidDatasetException(dataset.Name, $"image '{dataset[index].Name}' has a NaN or infinite pixel after preprocessing.");
            }
        }
    }
}
