using AnomalyDetection.Detection;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>How the conformance suite builds, trains, loads and registers one detector kind at a tiny, fast size.</summary>
/// <param name="Name">The case name shown in test results.</param>
/// <param name="Kind">The detector kind written into model files.</param>
/// <param name="ImageSize">The network input size of the tiny configuration.</param>
/// <param name="Channels">Input channels.</param>
/// <param name="Create">Builds an untrained detector with the given seed.</param>
/// <param name="Load">Reads a model file.</param>
/// <param name="Register">Registers the detector (and its model loader) under a name with its tiny settings, then applies the given change to the options.</param>
/// <param name="UsesUnlabeledPool">Whether the detector trains on an unlabeled pool, which the suite then supplies.</param>
/// <param name="CreateForSteps">Builds an untrained detector (seed 7) that trains for the given number of steps, after
/// applying the given change to its options; null for a detector without a training loop (the template).</param>
public sealed record DetectorCase(
    string Name,
    string Kind,
    int ImageSize,
    int Channels,
    Func<long, IAnomalyDetector> Create,
    Func<Stream, Task<IAnomalyDetector>> Load,
    Action<IAnomalyDetectionBuilder, string, Action<DetectorOptions>> Register,
    bool UsesUnlabeledPool = false,
    Func<int, Action<DetectorOptions>, IAnomalyDetector>? CreateForSteps = null)
{
    public override string ToString() => Name;
}
