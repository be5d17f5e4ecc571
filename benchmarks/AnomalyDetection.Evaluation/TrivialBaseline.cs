using System.Globalization;
using System.Numerics.Tensors;
using AnomalyDetection.Engine;
using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.Preprocessing;

namespace AnomalyDetection.Evaluation;

/// <summary>
/// Scores a test split with a trivial baseline that needs no training: the image score is the mean or the spread of
/// the gray intensity, or the mean of the top of its pixel map (negated for the low orientation); the pixel map of the
/// mean and top baselines is the gray intensity (negated likewise) blurred with a Gaussian. The mean and spread are the
/// floors of the data sets' README.
/// </summary>
/// <remarks>Colour images become gray with the ITU-R BT.601 weights of <see cref="ConvertChannelsStep"/>. Images are
/// scored at their stored resolution unless <see cref="BaselineOptions.ImageSize"/> asks for a bilinear resize (masks
/// then follow the same geometry and are thresholded at 0.5).</remarks>
internal static class TrivialBaseline
{
    /// <summary>Scores every image of <paramref name="testSet"/> and computes the metrics.</summary>
    /// <param name="testSet">Normal and abnormal images, masks optional.</param>
    /// <param name="options">The baseline.</param>
    /// <returns>Image metrics, and pixel metrics when the baseline has a map and an abnormal image has a mask.</returns>
    /// <exception cref="InvalidDatasetException">An image is neither normal nor abnormal.</exception>
    /// <exception cref="HarnessException">The top fraction is outside (0, 1].</exception>
    public static EvaluationReport Evaluate(IImageDataset testSet, BaselineOptions options)
    {
        if (!(options.TopFraction is > 0 and <= 1))
        {
            throw new HarnessException(string.Create(CultureInfo.InvariantCulture, $"The baseline's TopFraction must be in (0, 1]; got {options.TopFraction}."));
        }

        var pipeline = new PreprocessingPipeline(options.ImageSize > 0
            ? [new ConvertChannelsStep(1), new ResizeStep(options.ImageSize, options.ImageSize)]
            : [new ConvertChannelsStep(1)]);
        var sign = options.Orientation == BaselineOrientation.Low ? -1f : 1f;
        var blur = new GaussianBlur2d(options.BlurSigma);
        var scores = new float[testSet.Count];
        var labels = new bool[testSet.Count];
        var pixels = new PixelScoreAccumulator();
        var masked = 0;
        for (var i = 0; i < testSet.Count; i++)
        {
            var item = testSet[i];
            if (item.Label is not (AnomalyLabel.Normal or AnomalyLabel.Abnormal))
            {
                throw new InvalidDatasetException(testSet.Name, $"image '{item.Name}' is labelled {item.Label}; evaluation needs normal or anomalous labels.");
            }

            var gray = pipeline.Apply(item.LoadImage());
            labels[i] = item.Label == AnomalyLabel.Abnormal;
            if (options.Statistic == BaselineStatistic.Spread)
            {
                scores[i] = sign * Statistic(gray.Pixels, BaselineStatistic.Spread);
                continue;
            }

            var map = PixelMap(gray, blur, sign);
            scores[i] = options.Statistic == BaselineStatistic.Top
                ? TopFraction.Mean(map, options.TopFraction)
                : sign * Statistic(gray.Pixels, BaselineStatistic.Mean);
            if (item.Mask is not null)
            {
                pixels.Add(map, MaskFlags(pipeline.ApplyToMask(item.LoadMask()!)), gray.Height, gray.Width);
                masked += labels[i] ? 1 : 0;
            }
            else if (!labels[i])
            {
                pixels.AddNormal(map);
            }
        }

        return new EvaluationReport(ImageLevelMetrics.Compute(scores, labels), masked > 0 ? pixels.ComputeMetrics() : null);
    }

    /// <summary>The mean, or the population standard deviation, of the pixels.</summary>
    public static float Statistic(ReadOnlySpan<float> pixels, BaselineStatistic statistic)
    {
        var mean = TensorPrimitives.Sum(pixels) / pixels.Length;
        if (statistic == BaselineStatistic.Mean)
        {
            return mean;
        }

        double squares = 0;
        foreach (var value in pixels)
        {
            squares += (value - mean) * (double)(value - mean);
        }

        return (float)Math.Sqrt(squares / pixels.Length);
    }

    private static float[] PixelMap(ImageData gray, GaussianBlur2d blur, float sign)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        var map = TensorData.ToArray(blur.forward(gray.ToTensor()));
        TensorPrimitives.Multiply(map, sign, map);
        return map;
    }

    private static bool[] MaskFlags(ImageData mask)
    {
        var plane = mask.Channel(0);
        var flags = new bool[plane.Length];
        for (var p = 0; p < flags.Length; p++)
        {
            flags[p] = plane[p] >= 0.5f;
        }

        return flags;
    }
}
