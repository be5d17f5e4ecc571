using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Detection;

/// <summary>
/// Fits a detector's calibration (image threshold and score range, pixel threshold, p-value model) from the scores
/// of held-out validation images.
/// </summary>
/// <param name="options">The detector's options: batch size, calibration settings, p-value method.</param>
/// <param name="input">Brings masks to the maps' geometry.</param>
/// <param name="producesMaps">Whether the detector localises, so that a pixel threshold is fitted.</param>
/// <param name="logger">The detector's logger.</param>
internal sealed class CalibrationFitting(DetectorOptions options, InputPreparation input, bool producesMaps, ILogger logger)
{
    /// <summary>Scores the validation images batch by batch and fits the calibration.</summary>
    /// <param name="validation">The validation items: names, labels, masks.</param>
    /// <param name="image">Item i's image as loaded, for the mask checks.</param>
    /// <param name="scoreBatch">Scores the validation items [start, start + count).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>The calibration.</returns>
    /// <exception cref="InvalidDatasetException">The images are too few or all score the same.</exception>
    /// <exception cref="TrainingDivergedException">A score or map value is NaN or infinite.</exception>
    public DetectorCalibration Fit(IImageDataset validation, Func<int, ImageData> image, Func<int, int, DetectorScores> scoreBatch, CancellationToken cancellationToken)
    {
        var labels = new bool[validation.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = validation[i].Label == AnomalyLabel.Abnormal;
        }

        var baseline = producesMaps && options.Calibration.SubtractNormalMap ? MeanNormalMap(labels, scoreBatch, cancellationToken) : null;
        var scores = new float[labels.Length];
        var pixels = producesMaps ? new PixelMapAccumulator(input, validation.Name, masksOfNormalImages: false) : null;
        for (var start = 0; start < scores.Length; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(options.BatchSize, scores.Length - start);
            var scored = scoreBatch(start, count);
            ThrowIfScoresNotFinite(scored, validation, start, count);
            scored.Scores.CopyTo(scores.AsSpan(start));
            if (scored.Maps is not null)
            {
                for (var i = 0; i < count; i++)
                {
                    scores[start + i] = scored.Returned(i, baseline, options.Calibration.MapScoreTopFraction, out var map);
                    pixels?.Add(map, scored.MapWidth, scored.MapHeight, validation[start + i], image(start + i));
                }
            }
            else if (options.Calibration.MapScoreTopFraction is not null)
            {
                throw new InvalidOperationException($"Calibration.MapScoreTopFraction scores images by their maps, but {validation.Name}'s images were scored without maps.");
            }
        }

        if (scores.Length > 0 && scores.AsSpan().IndexOfAnyExcept(scores[0]) < 0)
        {
            throw new InvalidDatasetException(validation.Name,
                $"all {scores.Length} validation images score {scores[0]}, so no threshold or score range can be fitted (too few or identical images, or a collapsed model).");
        }

        var calibrator = new ThresholdCalibrator(options.Calibration, new ForwardingLogger<ThresholdCalibrator>(logger));
        var normalScores = scores.Where((_, i) => !labels[i]).ToArray();
        return new DetectorCalibration(
            calibrator.FitImage(scores, labels),
            pixels is { Pixels.PixelCount: > 0 } ? calibrator.FitPixel(pixels.Pixels) : null,
            normalScores.Length > 0 ? PValueModel.Fit(options.PValueMethod, normalScores) : null,
            baseline);
    }

    /// <summary>The mean map of the normal validation images, in a pass of its own so that no maps are kept; null when
    /// the detector returned no maps.</summary>
    private NormalMapBaseline? MeanNormalMap(bool[] anomalous, Func<int, int, DetectorScores> scoreBatch, CancellationToken cancellationToken)
    {
        double[]? sum = null;
        int width = 0, height = 0, normalCount = 0;
        for (var start = 0; start < anomalous.Length; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(options.BatchSize, anomalous.Length - start);
            var scored = scoreBatch(start, count);
            if (scored.Maps is null)
            {
                return null;
            }

            (width, height) = (scored.MapWidth, scored.MapHeight);
            sum ??= new double[width * height];
            for (var i = 0; i < count; i++)
            {
                if (anomalous[start + i])
                {
                    continue;
                }

                var map = scored.Map(i);
                for (var p = 0; p < sum.Length; p++)
                {
                    sum[p] += map[p];
                }

                normalCount++;
            }
        }

        // Non-finite maps are refused by the scoring pass that follows, with the image's name.
        return sum is null || normalCount == 0 || !Array.TrueForAll(sum, double.IsFinite)
            ? null
            : new NormalMapBaseline(width, height, Array.ConvertAll(sum, total => (float)(total / normalCount)));
    }

    /// <summary>Refuses a trained model that scores validation images as NaN or infinite (its activations overflowed
    /// or it diverged without a loss showing it), instead of calibrating on those values.</summary>
    private static void ThrowIfScoresNotFinite(DetectorScores scored, IImageDataset validation, int start, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var score = scored.Scores[i];
            var badMapValues = scored.Maps is null ? 0 : InputPreparation.CountNonFinite(scored.Map(i));
            if (!float.IsFinite(score) || badMapValues > 0)
            {
                throw new TrainingDivergedException(
                    $"The trained model gives validation image '{validation[start + i].Name}' a score of {score} and {badMapValues} non-finite anomaly-map value(s): " +
                    "its activations overflowed or training diverged. Check the input intensities and the learning rate.");
            }
        }
    }
}
