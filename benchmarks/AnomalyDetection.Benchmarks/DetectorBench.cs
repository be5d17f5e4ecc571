using System.Globalization;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// One detector as the benchmark uses it: how to build it for stepped training or for scoring (through its public
/// API only), how to load a saved one, and the specs that make torch_networks.py build its PyTorch twin, written
/// from the same options so that both sides run the same shapes and settings.
/// </summary>
internal abstract class DetectorBench
{
    /// <summary>Training runs are given this many steps and stopped long before (see <see cref="SteppedTraining"/>).</summary>
    protected const int UnreachedSteps = 1_000_000;

    /// <summary>The short name used on the command line and in workload keys: "sagan", "patchgan", "ae".</summary>
    public abstract string Key { get; }

    /// <summary>The training step as the table names it.</summary>
    public abstract string TrainingLabel { get; }

    /// <summary>The scoring workload as the table names it.</summary>
    public abstract string ScoringLabel { get; }

    /// <summary>Images per training step and per scoring call.</summary>
    public abstract int BatchSize { get; }

    /// <summary>The side of the square images.</summary>
    public abstract int ImageSize { get; }

    /// <summary>The largest time ratio (TorchSharp / PyTorch) the training step must meet, or null for none.</summary>
    public virtual double? TrainingTimeTarget => null;

    /// <summary>Whether training takes an unlabeled pool.</summary>
    public virtual bool UsesUnlabeledPool => false;

    /// <summary>The torch_networks.py spec of the training step.</summary>
    public abstract string TrainingSpec { get; }

    /// <summary>The torch_networks.py spec of scoring (without the weights and images, which the console adds).</summary>
    public abstract string ScoringSpec { get; }

    /// <summary>A detector for <see cref="SteppedTraining"/>: more steps than any run asks for, no validation on the way.</summary>
    public abstract IAnomalyDetector CreateForTraining(int threads);

    /// <summary>A detector that <see cref="IAnomalyDetector.Fit"/> trains for one step, which is enough to score with.</summary>
    public abstract IAnomalyDetector CreateForScoring(int threads);

    /// <summary>Reads a model file that a detector of this kind saved.</summary>
    public abstract Task<IAnomalyDetector> LoadAsync(string path);

    /// <summary>The synthetic training data: full batches, and a pool when the detector takes one.</summary>
    public TrainingData TrainingData() => SyntheticImages.TrainingData(BatchSize, ImageSize, UsesUnlabeledPool);

    /// <summary>"name key=value ..." with numbers in invariant form and integer lists comma-separated.</summary>
    protected static string Spec(string name, params (string Key, object Value)[] settings) =>
        name + string.Concat(settings.Select(s => " " + s.Key + "=" + s.Value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IEnumerable<int> list => string.Join(",", list.Select(v => v.ToString(CultureInfo.InvariantCulture))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        }));

    /// <summary>The channel ladder of the Patch-GAN and autoencoder options: base · 2^min(i, 3).</summary>
    /// <remarks>The options compute it internally; a scoring twin's strict load of the saved weights fails if the two
    /// ever differ.</remarks>
    protected static int[] Ladder(int baseWidth, int count) =>
        Enumerable.Range(0, count).Select(i => baseWidth * (1 << Math.Min(i, 3))).ToArray();
}
