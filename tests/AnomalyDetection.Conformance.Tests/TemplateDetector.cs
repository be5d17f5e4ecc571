using AnomalyDetection.Detection;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;
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

    /// <summary>The whole of what joins this detector to DI, the catalogs and <c>FromFile</c>.</summary>
    public static DetectorDescriptor<TemplateDetector, TemplateDetectorOptions> Descriptor { get; } =
        new(DetectorKind, (options, logger) => new TemplateDetector(options, logger), LoadAsync);

    private readonly TemplateModule _model;

    public TemplateDetector(TemplateDetectorOptions options, ILogger? logger = null)
        : base(options, logger)
    {
        _model = new TemplateModule(Options.Channels, Options.ImageSize);
        _model.to(Device);
    }

    public override string Kind => DetectorKind;

    public override bool ProducesAnomalyMaps => true;

    public static Task<TemplateDetector> LoadAsync(Stream stream, CancellationToken cancellationToken = default) =>
        LoadAsync(stream, "stream", null, cancellationToken);

    public static Task<TemplateDetector> LoadAsync(Stream stream, string sourceName, ILogger? logger, CancellationToken cancellationToken) =>
        LoadAsync(stream, sourceName, DetectorKind, o => new TemplateDetector(o, logger), cancellationToken);

    protected override TrainingSummary Train(TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var images = context.Normal;
        using var scope = torch.NewDisposeScope();
        var sum = torch.zeros(1, images.Channels, images.Height, images.Width, device: context.Device);
        var seen = 0;
        var step = 0L;
        var totalSteps = (long)Options.Epochs * ((images.Count + Options.BatchSize - 1) / Options.BatchSize);
        var order = Enumerable.Range(0, images.Count).ToArray();
        var clock = new RemainingTimeEstimate(0);
        for (var epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            context.Random.Shuffle(order.AsSpan());
            for (var start = 0; start < order.Length; start += Options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = images.Batch(order.AsSpan(start, Math.Min(Options.BatchSize, order.Length - start)), context.Random).to(context.Device);
                sum += batch.sum([0L], keepdim: true);
                seen += (int)batch.shape[0];
                step++;
                var loss = (batch - (sum / seen)).abs().mean().item<float>();
                var remaining = clock.StepCompleted(step, totalSteps);
                progress?.Report(new TrainingProgress(epoch, step, totalSteps, new Dictionary<string, double> { ["l1"] = loss }, null, clock.Elapsed, remaining));
            }
        }

        using (torch.no_grad())
        {
            _model.Template.copy_(sum / seen);
        }

        return new TrainingSummary(step, clock.Elapsed, new Dictionary<string, double>(), null);
    }

    protected override DetectorScores Score(Tensor batch)
    {
        var difference = (batch - _model.Template).abs().mean([1L], keepdim: true);
        return DetectorScores.From(difference.mean([1L, 2L, 3L]), difference);
    }

    protected override IReadOnlyDictionary<string, Tensor> ExportWeights() => StateDicts.Export(_model);

    protected override void ImportWeights(IReadOnlyDictionary<string, Tensor> weights) => StateDicts.LoadStrict(_model, weights, "the template");

    private sealed class TemplateModule : torch.nn.Module
    {
        public TemplateModule(int channels, int size)
            : base(nameof(TemplateModule))
        {
            Template = torch.zeros(1, channels, size, size);
            register_buffer("template", Template);
        }

        public Tensor Template { get; }
    }
}
