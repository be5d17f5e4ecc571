using System.Globalization;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Serialization;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Benchmarks;

/// <summary>
/// A workload ready to time: the TorchSharp action (a training step of a running <see cref="SteppedTraining"/>, or
/// <see cref="IAnomalyDetector.PredictBatch"/> on one batch of a fitted detector) and the PyTorch spec of the same work.
/// </summary>
internal sealed class PreparedWorkload : IDisposable
{
    private readonly IDisposable? _owner;

    private PreparedWorkload(Workload workload, Action run, string torchSpec, IDisposable? owner, string? modelPath)
    {
        Workload = workload;
        Run = run;
        TorchSpec = torchSpec;
        _owner = owner;
        ModelPath = modelPath;
    }

    public Workload Workload { get; }

    /// <summary>Runs one call of the TorchSharp side.</summary>
    public Action Run { get; }

    /// <summary>The PyTorch worker's spec for the same work.</summary>
    public string TorchSpec { get; }

    /// <summary>The fitted detector's model file (scoring workloads), which the memory child loads.</summary>
    public string? ModelPath { get; }

    /// <summary>How far the PyTorch twin's scores are from the detector's on the same weights and images; null when
    /// not checked (training steps, or no PyTorch).</summary>
    public string? Agreement { get; private set; }

    /// <summary>Starts stepped training; its first step (warm-up) runs before this returns.</summary>
    public static PreparedWorkload ForTraining(Workload workload, int threads)
    {
        var training = new SteppedTraining(workload.Detector.CreateForTraining(threads), workload.Detector.TrainingData());
        return new PreparedWorkload(workload, training.Step, workload.BaseSpec, training, null);
    }

    /// <summary>
    /// Fits a detector for one step, saves it and the scoring batch into <paramref name="folder"/>, and points the
    /// PyTorch twin at both, so that the two sides score the same images with the same weights. With a worker, it
    /// also compares the two sides' scores.
    /// </summary>
    public static PreparedWorkload ForScoring(Workload workload, int threads, string folder, TorchWorker? torch)
    {
        var bench = workload.Detector;
        var detector = bench.CreateForScoring(threads);
        detector.Fit(bench.TrainingData());
        var modelPath = Path.Combine(folder, workload.Key + ".model");
        detector.SaveAsync(modelPath).GetAwaiter().GetResult();

        var images = SyntheticImages.Create(bench.BatchSize, bench.ImageSize, seed: 4);
        var imagesPath = Path.Combine(folder, workload.Key + ".images.safetensors");
        using (var batch = ImageData.ToBatchTensor(images))
        {
            SafeTensors.Save(imagesPath, new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["images"] = batch });
        }

        var spec = $"{workload.BaseSpec} weights={modelPath} images={imagesPath}";
        var prepared = new PreparedWorkload(workload, () => detector.PredictBatch(images), spec, detector as IDisposable, modelPath);
        if (torch is not null)
        {
            var ours = detector.PredictBatch(images).Select(p => (double)p.Score).ToArray();
            var theirs = torch.Scores(spec);
            prepared.Agreement = Compare(ours, theirs);
        }

        return prepared;
    }

    public void Dispose() => _owner?.Dispose();

    private static string Compare(double[] ours, double[] theirs)
    {
        if (ours.Length != theirs.Length)
        {
            return $"score counts differ ({ours.Length} vs {theirs.Length})";
        }

        var difference = ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max();
        var scale = theirs.Max(Math.Abs);
        return string.Create(CultureInfo.InvariantCulture, $"max |Δscore| {difference:G2} ({difference / Math.Max(scale, 1e-12):P4} of the largest score)");
    }
}
