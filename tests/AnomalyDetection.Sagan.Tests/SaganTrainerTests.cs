using AnomalyDetection.Components;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.Engine;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module;

namespace AnomalyDetection.Sagan.Tests;

public class SaganTrainerTests
{
    [Fact]
    public void Step_CriticEveryIterationGeneratorEverySecond_ReportsTheirLosses()
    {
        using var generator = Tiny.Generator(Tiny.Options());
        using var trainer = new SaganTrainer(generator, Tiny.Options(), Tiny.Context(Tiny.Options()));
        var losses = new Dictionary<string, double>();

        trainer.Step(0, losses);
        Assert.Equal(["critic", "gradient_penalty", "wasserstein_distance"], losses.Keys.Order());
        trainer.Step(1, losses);
        Assert.Equal(["adversarial", "critic", "generator", "gradient_penalty", "identity", "restoration", "wasserstein_distance"], losses.Keys.Order());
        Assert.All(losses.Values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(losses["adversarial"] + losses["identity"] + losses["restoration"], losses["generator"], 5);
    }

    [Fact]
    public void Step_GeneratorUpdates_FollowCriticSteps()
    {
        using var every2Generator = Tiny.Generator(Tiny.Options());
        using var every2 = new SaganTrainer(every2Generator, Tiny.Options(), Tiny.Context(Tiny.Options()));
        var options3 = Tiny.Options();
        options3.CriticSteps = 3;
        using var every3Generator = Tiny.Generator(options3);
        using var every3 = new SaganTrainer(every3Generator, options3, Tiny.Context(options3));
        var initialGenerator = Snapshot(every2.Generator);
        var initialCritic = Snapshot(every2.Critic);
        var losses = new Dictionary<string, double>();

        every2.Step(0, losses);
        every3.Step(0, losses);
        Assert.Equal(initialGenerator, Snapshot(every2.Generator));
        Assert.NotEqual(initialCritic, Snapshot(every2.Critic));

        // Iteration 1 updates the critic in both (before any generator update), then the generator only in the first.
        every2.Step(1, losses);
        every3.Step(1, losses);
        Assert.Equal(Snapshot(every3.Critic), Snapshot(every2.Critic));
        Assert.NotEqual(initialGenerator, Snapshot(every2.Generator));
        Assert.Equal(initialGenerator, Snapshot(every3.Generator));
        Assert.All(every2.Critic.parameters(), p => Assert.True(p.requires_grad));

        every3.Step(2, losses);
        Assert.NotEqual(initialGenerator, Snapshot(every3.Generator));
    }

    [Fact]
    public void Step_FewDozenIterations_ReconstructionLossesFall()
    {
        var options = Tiny.Options(iterations: 40);
        options.LearningRate = 5e-4;
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, Tiny.Context(options));
        var identity = new List<double>();
        var restoration = new List<double>();
        var losses = new Dictionary<string, double>();
        for (var i = 0; i < options.MaxSteps; i++)
        {
            trainer.Step(i, losses);
            if (i % 2 == 1)
            {
                identity.Add(losses["identity"]);
                restoration.Add(losses["restoration"]);
            }
        }

        Assert.True(identity.TakeLast(4).Average() < 0.5 * identity.Take(4).Average(), $"identity L1: {string.Join(", ", identity.Select(v => v.ToString("F4")))}");
        Assert.True(restoration.TakeLast(4).Average() < 0.5 * restoration.Take(4).Average(), $"restoration MSE: {string.Join(", ", restoration.Select(v => v.ToString("F4")))}");
    }

    [Fact]
    public void Run_SameSeed_GivesBitIdenticalWeights_OtherSeed_Differs()
    {
        var first = Train(seed: 5);
        var second = Train(seed: 5);
        var other = Train(seed: 6);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Run_ReportsEveryIterationWithEpochAndValidation()
    {
        var options = Tiny.Options(iterations: 5);
        var reports = new List<TrainingProgress>();

        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, Tiny.Context(options));
        var summary = trainer.Run(new SynchronousProgress<TrainingProgress>(reports.Add), CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5], reports.Select(r => r.Step));
        Assert.Equal([1, 1, 1, 1, 2], reports.Select(r => r.Epoch)); // 16 normal images, batches of 4

        // Validation runs every 2 iterations and at the end, and each report carries the latest value. The generator
        // changes at steps 2 and 4 only (every second iteration), so the metric moves between steps 3 and 4 only.
        var metrics = reports.Select(r => r.ValidationMetric).ToList();
        Assert.Equal([false, true, true, true, true], metrics.Select(m => m.HasValue));
        Assert.Equal(metrics[1], metrics[2]);
        Assert.NotEqual(metrics[2], metrics[3]);
        Assert.Equal(metrics[3], metrics[4]);
        Assert.Equal(5, summary.Steps);
        Assert.Null(summary.SelectedStep);
    }

    [Fact]
    public void ValidationMetric_IsTheMeanScoreOfTheValidationImages()
    {
        var options = Tiny.Options();
        var context = Tiny.Context(options);
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, context);

        var images = context.Validation.All();
        using var noGrad = torch.no_grad();
        var expected = (images - trainer.Generator.Restore(images)).abs().mean().item<float>() / 2;

        Assert.Equal(expected, trainer.ValidationMetric(), 6);
    }

    [Fact]
    public void ValidationMetric_BrighterPolarity_CountsOnlyWhereImagesAreBrighterThanTheirRestoration()
    {
        var options = Tiny.Options();
        options.ResidualPolarity = ResidualPolarity.Brighter;
        var context = Tiny.Context(options);
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, context);

        var images = context.Validation.All();
        using var noGrad = torch.no_grad();
        var difference = images - trainer.Generator.Restore(images);
        var expected = difference.relu().mean().item<float>() / 2;

        Assert.True(expected < difference.abs().mean().item<float>() / 2 * 0.99, "the restoration errs on both sides, so one side is less");
        Assert.Equal(expected, trainer.ValidationMetric(), 6);
    }

    [Fact]
    public void ValidationMetric_WithHeldOutPool_IsOneMinusTheAurocOfValidationAgainstHeldOutPoolImages()
    {
        var options = Tiny.Options();
        options.PoolValidationFraction = 0.5;
        var context = Tiny.Context(options);
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, context);

        // The seed's half of the pool of 10, counted pair by pair against the 4 validation images (a tie as a half).
        var normal = MeanErrors(trainer, context.Validation.All());
        var pool = MeanErrors(trainer, context.Unlabeled!.HoldOut(0.5, options.Seed).HeldOut.All());
        var poolHigher = normal.Sum(n => pool.Sum(p => p > n ? 1.0 : p == n ? 0.5 : 0.0));

        Assert.Equal(5, pool.Length);
        Assert.Equal(1 - poolHigher / (normal.Length * pool.Length), trainer.ValidationMetric(), 9);
    }

    [Fact]
    public void ValidationMetric_WithHeldOutPool_FallsAsTheGeneratorLearnsToRestoreTheAnomalies()
    {
        // A pool of lesioned scans only: once the generator restores lesions, held-out pool images score above normals.
        var options = Tiny.Options(iterations: 40);
        options.LearningRate = 5e-4;
        options.PoolValidationFraction = 0.5;
        var pipeline = options.DefaultPreprocessing();
        var baseContext = Tiny.Context(options);
        var context = baseContext with { Unlabeled = TrainingImageSet.Load(SyntheticScans.GradientDataset("abnormal", 16, Tiny.Size, 3, abnormal: true), pipeline) };
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, context);
        var before = trainer.ValidationMetric();

        var losses = new Dictionary<string, double>();
        for (var i = 0; i < options.MaxSteps; i++)
        {
            trainer.Step(i, losses);
        }

        var after = trainer.ValidationMetric();
        Assert.True(after < 0.2 && after < before, $"1 − AUROC before {before:F3}, after {after:F3}");
    }

    [Fact]
    public void Constructor_HeldOutPoolWithoutPool_SaysSo()
    {
        var options = Tiny.Options();
        options.PoolValidationFraction = 0.2;
        using var generator = Tiny.Generator(options);

        var error = Assert.Throws<InvalidDatasetException>(() => new SaganTrainer(generator, options, Tiny.Context(options) with { Unlabeled = null }));
        Assert.Equal("PoolValidationFraction 0.2 validates on held-out pool images, but no unlabeled pool was given (pass TrainingData.Unlabeled, or set it to 0).", error.Message);
    }

    [Fact]
    public void Constructor_HeldOutPoolOfOneImage_SaysSo()
    {
        var options = Tiny.Options();
        options.PoolValidationFraction = 0.1;
        using var generator = Tiny.Generator(options);

        var error = Assert.Throws<InvalidDatasetException>(() => new SaganTrainer(generator, options, Tiny.Context(options)));
        Assert.Equal("PoolValidationFraction 0.1 of the pool's 10 image(s) holds out 1; validation needs at least 2 pool images and training at least 1.", error.Message);
    }

    /// <summary>Every weight's bits, in state-dict order: equal snapshots are bit-identical networks.</summary>
    internal static float[][] Snapshot(Module module) => [.. StateDicts.Export(module).Values.Select(TensorData.ToArray)];

    private static double[] MeanErrors(SaganTrainer trainer, torch.Tensor images)
    {
        using var noGrad = torch.no_grad();
        var errors = (images - trainer.Generator.Restore(images)).abs();
        return [.. TensorData.ToArray(errors.reshape(errors.shape[0], -1).mean([1])).Select(v => (double)v)];
    }

    private static float[][] Train(long seed)
    {
        var options = Tiny.Options(iterations: 4, seed: seed);
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, Tiny.Context(options));
        trainer.Run(null, CancellationToken.None);
        return [.. Snapshot(trainer.Generator), .. Snapshot(trainer.Critic)];
    }
}
