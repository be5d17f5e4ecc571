using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// Seeded random grayscale images with pixels in [0, 1]: the work of a training step or a scoring batch does not
/// depend on what the pixels show, and the images need no data set on disk.
/// </summary>
internal static class SyntheticImages
{
    /// <summary><paramref name="count"/> images of <paramref name="size"/> × <paramref name="size"/> pixels.</summary>
    public static IReadOnlyList<ImageData> Create(int count, int size, long seed)
    {
        var random = new RandomSource(seed);
        var pixels = new float[size * size];
        var images = new ImageData[count];
        for (var i = 0; i < count; i++)
        {
            random.FillUniform(pixels, 0f, 1f);
            images[i] = ImageData.FromPlanar(size, size, 1, pixels);
        }

        return images;
    }

    /// <summary>
    /// A training set whose normal images fill whole batches (so every step sees a full batch), an unlabeled pool of
    /// the same size when the detector takes one, and a separate validation set of eight images for calibration.
    /// </summary>
    public static TrainingData TrainingData(int batchSize, int size, bool withUnlabeledPool)
    {
        var normal = ImageDataset.FromImages("normal", Create(2 * batchSize, size, 1), AnomalyLabel.Normal);
        var unlabeled = withUnlabeledPool ? ImageDataset.FromImages("unlabeled", Create(2 * batchSize, size, 2), AnomalyLabel.Unknown) : null;
        var validation = ImageDataset.FromImages("validation", Create(8, size, 3), AnomalyLabel.Normal);
        return new TrainingData(normal, unlabeled, validation);
    }
}
