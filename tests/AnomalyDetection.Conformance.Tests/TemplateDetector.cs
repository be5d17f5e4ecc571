using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using Microsoft.Extensions.Logging;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Options of <see cref="TemplateDetector"/>.</summary>
public sealed class TemplateDetectorOptions : DetectorOptions
{
    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; set; } = 2;

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (Epochs < 1)
        {
            yield return Invalid(nameof(Epochs), Epochs, "at least 1");
        }
    }
}

/// <summary>
/// The smallest real detector: it learns the mean normal image batch by batch and scores the mean absolute difference
/// from it. The conformance suite checks the shared contract against it before any GAN detector joins.
/// </summary>
public sealed class TemplateDetector : AnomalyDetectorBase<TemplateDetectorOptions>
{
    public const string DetectorKind = "template";

    private readonly TemplateModule _model;

    public TemplateDetector(TemplateDetectorOptions options, ILogger<TemplateDetector>? logger = null)
        : base(options, logger)
    {
        _model = new TemplateModule(Options.Channels, Options.ImageSize);
    }

    public override string Kind => DetectorKind;

    public override bool ProducesAnomalyMaps => true;

    public static Task<TemplateDetector> LoadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        LoadAsync(stream, "stream", DetectorKind, o => new TemplateDetector(o), cancellationToken);

    protected override TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var images = context.Normal;
        var sum = Tensor.Zeros(1, images.Channels, images.Height, images.Width);
        var seen = 0;
        var step = 0L;
        var totalSteps = (long)Options.Epochs * ((images.Count + Options.BatchSize - 1) / Options.BatchSize);
        var order = Enumerable.Range(0, images.Count).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            context.Random.Shuffle(order.AsSpan());
            for (var start = 0; start < order.Length; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = images.Batch(order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)), context.Random);
                sum += batch.Sum([0], keepDim: true);
                seen += batch.Size(0);
                step++;
                var loss = (batch - (sum / seen)).Abs().Mean().ToScalar();
                progress?.Report(new TrainingProgress(epoch, step, totalSteps, new Dictionary<string, double> { ["l1"] = loss }, null, clock.Elapsed,
                    TimeSpan.FromTicks(clock.Elapsed.Ticks / step * (totalSteps - step))));
            }
        }

        (sum / seen).Span.CopyTo(_model.Template.AsSpan());
        return new TrainingSummary(step, clock.Elapsed, new Dictionary<string, double>(), null);
    }

    protected override DetectorScores Score(Tensor batch)
    {
        var difference = (batch - _model.Template).Abs().Mean([1], keepDim: true);
        return new DetectorScores(difference.Mean([1, 2, 3]).ToArray(), difference);
    }

    protected override IReadOnlyDictionary<string, Tensor> ExportWeights() => _model.StateDict();

    protected override void ImportWeights(IReadOnlyDictionary<string, Tensor> weights) => _model.LoadStateDict(weights, strict: true);

    private sealed class TemplateModule : Module
    {
        public TemplateModule(int channels, int size)
        {
            Template = RegisterBuffer("template", Tensor.Zeros(1, channels, size, size));
        }

        public Tensor Template { get; }
    }
}
