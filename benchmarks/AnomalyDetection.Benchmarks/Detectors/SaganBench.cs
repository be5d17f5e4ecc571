using AnomalyDetection.Detection;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Benchmarks.Detectors;

/// <summary>
/// SAGAN at ConvDim 16, batch 32, 64 × 64 (the setting). A training step is one whole iteration: the WGAN-GP
/// critic update and the generator update (<see cref="SaganOptions.CriticSteps"/> 1, so every iteration has both).
/// </summary>
internal sealed class SaganBench : DetectorBench
{
    public override string Key => "sagan";

    public override string TrainingLabel => "SAGAN iteration (critic with gradient penalty + generator), ConvDim 16, batch 32, 64²";

    public override string ScoringLabel => "SAGAN scoring, batch 32, 64²";

    public override int BatchSize => Options(0).BatchSize;

    public override int ImageSize => Options(0).ImageSize;

    public override double? TrainingTimeTarget => 1.0;

    public override bool UsesUnlabeledPool => true;

    public override string TrainingSpec
    {
        get
        {
            var o = Options(0);
            return Spec("sagan-step", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("conv_dim", o.ConvDim),
                ("repeat_num", o.RepeatNum), ("critic_repeat", o.CriticRepeatNum), ("mix", o.TrainingMixProbability),
                ("gp", o.GradientPenaltyWeight), ("identity", o.IdentityWeight), ("restoration", o.RestorationWeight),
                ("lr", o.LearningRate), ("beta1", o.Beta1), ("beta2", o.Beta2));
        }
    }

    public override string ScoringSpec
    {
        get
        {
            var o = Options(0);
            return Spec("sagan-score", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("conv_dim", o.ConvDim), ("repeat_num", o.RepeatNum));
        }
    }

    public override IAnomalyDetector CreateForTraining(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = UnreachedSteps;
        return new SaganDetector(options);
    }

    public override IAnomalyDetector CreateForScoring(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = 1;
        return new SaganDetector(options);
    }

    public override async Task<IAnomalyDetector> LoadAsync(string path) => await SaganDetector.LoadAsync(path).ConfigureAwait(false);

    private static SaganOptions Options(int threads) => new()
    {
        ConvDim = 16,
        BatchSize = 32,
        ImageSize = 64,
        CriticSteps = 1,
        ValidationInterval = int.MaxValue,
        Threads = threads,
    };
}
