using System.Text.Json;

namespace AnomalyDetection.ModelFiles;

/// <summary>The self-description at the head of a model file (<c>manifest.json</c> in the zip).</summary>
/// <param name="FormatVersion">The model-file format version; readers refuse versions newer than theirs.</param>
/// <param name="Kind">The detector kind, such as "sagan".</param>
/// <param name="LibraryVersion">The AnomalyDetection version that wrote the file.</param>
/// <param name="CreatedUtc">When the file was written.</param>
/// <param name="Options">The detector's options as JSON.</param>
/// <param name="Preprocessing">The preprocessing pipeline as JSON.</param>
/// <param name="Calibration">The calibration as JSON.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="ThreadCount">The kernel thread count training ran with (results are bit-reproducible for a seed and thread count).</param>
/// <param name="Training">A summary of the training run, when known.</param>
public sealed record ModelManifest(
    int FormatVersion,
    string Kind,
    string LibraryVersion,
    DateTimeOffset CreatedUtc,
    JsonElement Options,
    JsonElement Preprocessing,
    JsonElement Calibration,
    long Seed,
    int ThreadCount,
    TrainingSummary? Training);
