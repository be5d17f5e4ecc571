using System.Text.Json;
using AnomalyDetection.Calibration;
using AnomalyDetection.Engine;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Preprocessing;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// A detector's model-file manifest: what saving writes beside the weights (kind, options, preprocessing,
/// calibration, training summary), and how loading turns a manifest and its weights back into a detector.
/// </summary>
internal static class DetectorModelFile
{
    /// <summary>The manifest of a fitted detector.</summary>
    /// <typeparam name="TOptions">The detector's options type, as which the options are written.</typeparam>
    /// <param name="kind">The detector kind.</param>
    /// <param name="options">The detector's options.</param>
    /// <param name="preprocessing">The detector's preprocessing.</param>
    /// <param name="calibration">The detector's calibration.</param>
    /// <param name="training">What the last training run did, if known.</param>
    public static ModelManifest CreateManifest<TOptions>(string kind, TOptions options, PreprocessingPipeline preprocessing, DetectorCalibration calibration, TrainingSummary? training)
        where TOptions : DetectorOptions =>
        new(
            ModelFile.CurrentFormatVersion,
            kind,
            ModelFile.LibraryVersion,
            DateTimeOffset.UtcNow,
            JsonSerializer.SerializeToElement(options, ModelFile.JsonOptions),
            JsonDocument.Parse(preprocessing.ToJson()).RootElement.Clone(),
            JsonSerializer.SerializeToElement(calibration, ModelFile.JsonOptions),
            options.Seed,
            TorchRuntime.CpuThreads,
            training);

    /// <summary>
    /// Reads the options from <paramref name="manifest"/>, checks them against <paramref name="weights"/>, builds the
    /// detector with <paramref name="build"/> and reads the calibration.
    /// </summary>
    /// <typeparam name="TOptions">The detector's options type.</typeparam>
    /// <typeparam name="TDetector">The detector type.</typeparam>
    /// <param name="manifest">The manifest read from the file.</param>
    /// <param name="weights">The weights read from the file.</param>
    /// <param name="sourceName">The file name or description for error messages.</param>
    /// <param name="build">Builds a detector of the options and loads the weights into it.</param>
    /// <returns>The detector and its calibration.</returns>
    /// <exception cref="InvalidModelFileException">The options, weights or calibration are invalid or do not fit together.</exception>
    public static (TDetector Detector, DetectorCalibration Calibration) Restore<TOptions, TDetector>(
        ModelManifest manifest, IReadOnlyDictionary<string, Tensor> weights, string sourceName, Func<TOptions, TDetector> build)
        where TOptions : DetectorOptions
    {
        try
        {
            var options = manifest.Options.Deserialize<TOptions>(ModelFile.JsonOptions)
                ?? throw new InvalidModelFileException(sourceName, "the manifest holds no options.");
            options.Preprocessing = PreprocessingPipeline.FromJson(manifest.Preprocessing.GetRawText());
            TorchRuntime.EnsureAvailable();
            if (options.Device is { } device && device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase) && !torch.cuda.is_available())
            {
                // A model file is not tied to a device: one trained on a GPU scores on a machine without one.
                options.Device = "cpu";
            }

            ThrowIfWeightsTooFew(options, weights, sourceName);
            var detector = build(options);
            return (detector, ManifestCalibration.Read(manifest.Calibration, sourceName));
        }
        catch (Exception ex) when (ex is StateDictMismatchException or JsonException or NotSupportedException or ArgumentException)
        {
            throw new InvalidModelFileException(sourceName, ex.Message, ex);
        }
    }

    /// <summary>
    /// Refuses options that describe a network larger than the weights stored with them, before that network is built:
    /// a forged manifest would otherwise make the loader allocate whatever the option ranges allow.
    /// </summary>
    private static void ThrowIfWeightsTooFew(DetectorOptions options, IReadOnlyDictionary<string, Tensor> weights, string sourceName)
    {
        options.ThrowIfInvalid();
        var stored = weights.Values.Sum(w => w.numel());
        var needed = SavedWeightCount.Of(options);
        if (needed > stored)
        {
            throw new InvalidModelFileException(sourceName,
                $"its options describe a network of at least {needed} weight elements, but the file stores {stored}; the manifest does not belong to these weights.");
        }
    }
}
