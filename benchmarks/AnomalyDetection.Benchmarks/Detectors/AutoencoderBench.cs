using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Benchmarks.Detectors;

/// <summary>The convolutional autoencoder with its default network (widths 32–256, latent 16, L2 loss), batch 32, 64 × 64.</summary>
internal sealed class AutoencoderBench : DetectorBench
{
    public override string Key => "ae";

    public override string TrainingLabel => "autoencoder training step (defaults), batch 32, 64²";

    public override string ScoringLabel => "autoencoder scoring, batch 32, 64²";

    public override int BatchSize => Options(0).BatchSize;

    public override int ImageSize => Options(0).ImageSize;

    public override string TrainingSpec
    {
        get
        {
            var o = Options(0);
            return Spec("ae-step", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("widths", Ladder(o.BaseWidth, o.Depth)),
                ("latent", o.LatentChannels), ("loss", o.Loss), ("lr", o.LearningRate), ("beta1", o.Beta1), ("beta2", o.Beta2));
        }
    }

    public override string ScoringSpec
    {
        get
        {
            var o = Options(0);
            return Spec("ae-score", ("batch", o.BatchSize), ("size", o.ImageSize), ("channels", o.Channels), ("widths", Ladder(o.BaseWidth, o.Depth)),
                ("latent", o.LatentChannels), ("loss", o.Loss), ("top", o.ScoreTopFraction), ("sigma", o.MapSmoothingSigma));
        }
    }

    public override IAnomalyDetector CreateForTraining(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = UnreachedSteps;
        return new AutoencoderDetector(options);
    }

    public override IAnomalyDetector CreateForScoring(int threads)
    {
        var options = Options(threads);
        options.MaxSteps = 1;
        return new AutoencoderDetector(options);
    }

    public override async Task<IAnomalyDetector> LoadAsync(string path) => await AutoencoderDetector.LoadAsync(path).ConfigureAwait(false);

    private static AutoencoderOptions Options(int threads) => new() { BatchSize = 32, ImageSize = 64, Threads = threads };
}
