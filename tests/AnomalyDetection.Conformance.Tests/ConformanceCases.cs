using System.Collections.Concurrent;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;
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
            (builder, name, tweak) => builder.AddDetector(TemplateDetector.Descriptor, name, o => { o.ImageSize = 16; o.BatchSize = 4; tweak(o); })),
        new("sagan", SaganDetector.DetectorKind, 32, 1,
            seed => new SaganDetector(TinySagan(new SaganOptions { Seed = seed })),
            async stream => await SaganDetector.LoadAsync(stream),
            (builder, name, tweak) => builder.AddSagan(name, o => { TinySagan(o); tweak(o); }),
            UsesUnlabeledPool: true,
            CreateForSteps: (steps, tweak) =>
            {
                var o = TinySagan(new SaganOptions { Seed = 7 });
                o.MaxSteps = steps;
                tweak(o);
                return new SaganDetector(o);
            }),
        new("patchgan", PatchGanDetector.DetectorKind, 32, 1,
            seed => new PatchGanDetector(TinyPatchGan(seed, 1)),
            async stream => await PatchGanDetector.LoadAsync(stream),
            (builder, name, tweak) => builder.AddPatchGan(name, o => { TinyPatchGan(o, 1); tweak(o); }),
            CreateForSteps: (steps, tweak) =>
            {
                var o = TinyPatchGan(7, 1);
                o.MaxSteps = steps;
                tweak(o);
                return new PatchGanDetector(o);
            }),
        new("patchgan-rgb-learned", PatchGanDetector.DetectorKind, 32, 3,
            seed => new PatchGanDetector(TinyPatchGan(seed, 3, PatchRanking.Learned, PatchDiscriminatorKind.FullyConvolutional)),
            async stream => await PatchGanDetector.LoadAsync(stream),
            (builder, name, tweak) => builder.AddPatchGan(name, o => { TinyPatchGan(o, 3, PatchRanking.Learned, PatchDiscriminatorKind.FullyConvolutional); tweak(o); })),
        new("autoencoder", AutoencoderDetector.DetectorKind, 28, 1,
            seed => new AutoencoderDetector(TinyAutoencoder(new AutoencoderOptions { Seed = seed })),
            async stream => await AutoencoderDetector.LoadAsync(stream),
            (builder, name, tweak) => builder.AddAutoencoder(name, o => { TinyAutoencoder(o); tweak(o); }),
            CreateForSteps: (steps, tweak) =>
            {
                var o = TinyAutoencoder(new AutoencoderOptions { Seed = 7 });
                o.MaxSteps = steps;
                tweak(o);
                return new AutoencoderDetector(o);
            }),
    ];

    /// <summary>SAGAN at 32×32 with 4 base channels, one residual block and 4 iterations.</summary>
    private static SaganOptions TinySagan(SaganOptions o)
    {
        o.ImageSize = 32;
        o.ConvDim = 4;
        o.RepeatNum = 1;
        o.CriticRepeatNum = 5;
        o.BatchSize = 4;
        o.MaxSteps = 4;
        return o;
    }

    /// <summary>The autoencoder at 28 px (padded to 32 inside the network), 4-channel base width and three steps.</summary>
    private static AutoencoderOptions TinyAutoencoder(AutoencoderOptions o)
    {
        (o.ImageSize, o.BaseWidth, o.Depth, o.LatentChannels, o.BatchSize, o.MaxSteps) = (28, 4, 3, 4, 8, 3);
        return o;
    }

    /// <summary>The cases whose detector trains through the shared training loop.</summary>
    public static TheoryData<string> TrainedNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in All.Where(c => c.CreateForSteps is not null))
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

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

    /// <summary>Patch-GAN at 32 px on a 4 × 4 grid with four-channel networks and three steps.</summary>
    private static PatchGanOptions TinyPatchGan(long seed, int channels, PatchRanking ranking = PatchRanking.TopK,
        PatchDiscriminatorKind discriminator = PatchDiscriminatorKind.Cropped) =>
        TinyPatchGan(new PatchGanOptions { Seed = seed }, channels, ranking, discriminator);

    private static PatchGanOptions TinyPatchGan(PatchGanOptions o, int channels, PatchRanking ranking = PatchRanking.TopK,
        PatchDiscriminatorKind discriminator = PatchDiscriminatorKind.Cropped)
    {
        (o.ImageSize, o.Channels, o.PatchSize, o.BatchSize, o.MaxSteps) = (32, channels, 8, 8, 3);
        (o.ReconstructorBaseWidth, o.DiscriminatorBaseWidth, o.DiscriminatorLayers) = (4, 4, 2);
        (o.Ranking, o.Discriminator) = (ranking, discriminator);
        return o;
    }
}
