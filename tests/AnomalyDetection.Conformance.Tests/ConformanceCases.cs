using System.Collections.Concurrent;
using AnomalyDetection.Detection;
using Microsoft.Extensions.DependencyInjection;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>Every detector the suite checks. A new detector joins by adding one entry.</summary>
public static class ConformanceCases
{
    public static IReadOnlyList<DetectorCase> All { get; } =
    [
        new("template", TemplateDetector.DetectorKind, 16, 1,
            seed => new TemplateDetector(new TemplateDetectorOptions { ImageSize = 16, BatchSize = 4, Seed = seed }),
            async stream => await TemplateDetector.LoadAsync(stream),
            (builder, name, tweak) => builder.AddModelLoader<TemplateModelLoader>()
                .AddDetector<TemplateDetectorOptions>(name, o => { o.ImageSize = 16; o.BatchSize = 4; tweak(o); }, (_, o) => new TemplateDetector(o))),
    ];

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in All)
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

    private static readonly ConcurrentDictionary<string, Lazy<IAnomalyDetector>> Fitted = new();

    public static DetectorCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>The training data the suite uses for a case: tiny synthetic normals, plus an unlabeled pool when the detector uses one.</summary>
    public static TrainingData Data(DetectorCase c, long seed = 11) => new(
        SyntheticImages.Dataset("normal", 24, c.ImageSize, c.Channels, seed, anomalous: false),
        c.UsesUnlabeledPool
            ? new AnomalyDetection.Data.ImageDataset("pool", SyntheticImages.Dataset("pool_normal", 8, c.ImageSize, c.Channels, seed + 5, false)
                .Concat(SyntheticImages.Dataset("pool_abnormal", 8, c.ImageSize, c.Channels, seed + 6, true))
                .Select(i => new AnomalyDetection.Data.LabeledImage(i.Name, AnomalyDetection.Data.AnomalyLabel.Unknown, i.Image)))
            : null);

    /// <summary>One fitted detector per case, shared by the tests that only read it.</summary>
    public static IAnomalyDetector FittedDetector(string name) => Fitted.GetOrAdd(name, n => new Lazy<IAnomalyDetector>(() =>
    {
        var c = Get(n);
        var detector = c.Create(7);
        detector.Fit(Data(c));
        return detector;
    })).Value;
}
