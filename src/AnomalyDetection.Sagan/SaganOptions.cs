using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Randomness;
using TorchSharp;

namespace AnomalyDetection.Sagan;

/// <summary>
/// Settings of the SAGAN detector. The defaults are the paper's (the authors' <c>train.sh</c>): 64×64 grayscale
/// images, 64 base channels, 6 residual blocks, batch 32, Adam 5e-5 with betas (0.5, 0.999) held constant (the
/// reference's decay changes it by under 0.1%), a critic step every iteration and a generator step every second one,
/// for 100,000 iterations; images scored by the mean of the unsmoothed map |x − G(x)|, halved into [0, 1]
/// (<see cref="RestorationDetectorOptions.ScoreTopFraction"/> 1, <see cref="RestorationDetectorOptions.MapSmoothingSigma"/> 0).
/// </summary>
/// <remarks>
/// <para>At the paper's width one iteration takes tens of seconds on a CPU; <see cref="ConvDim"/> 16 trains about ten
/// times faster with a similar accuracy on small data sets. See the package README.</para>
/// <para>Images are expected in [−1, 1], which the default preprocessing produces.</para>
/// <para><see cref="RestorationDetectorOptions.ResidualPolarity"/> also sets which side of x − G(x) the validation
/// (and pool) metric counts, so a one-sided polarity can select another checkpoint.</para>
/// </remarks>
/// <example><code>var detector = new SaganDetector(new SaganOptions { ConvDim = 16, MaxSteps = 1000 });</code></example>
public sealed class SaganOptions : RestorationDetectorOptions
{
    /// <summary>Creates options with the paper's defaults.</summary>
    public SaganOptions()
        : base(learningRate: 5e-5, beta1: 0.5, scoreTopFraction: 1, mapSmoothingSigma: 0)
    {
    }

    /// <summary>The critic's LeakyReLU slope in the authors' code, the default of <see cref="CriticNegativeSlope"/>.</summary>
    internal const double AuthorsCriticNegativeSlope = 0.01;

    /// <summary>Channels of the generator's first layer and of the critic's first layer. Defaults to 64 (the paper).</summary>
    public int ConvDim { get; set; } = 64;

    /// <summary>Residual blocks in the generator's bottleneck. Defaults to 6 (the paper).</summary>
    public int RepeatNum { get; set; } = 6;

    /// <summary>Stride-2 layers of the critic; <see cref="DetectorOptions.ImageSize"/> must be divisible by 2 to this power.
    /// Defaults to 6, which scores a 64×64 image as a whole (the paper).</summary>
    public int CriticRepeatNum { get; set; } = 6;

    /// <summary>
    /// The slope of the critic's LeakyReLU for negative inputs. Defaults to 0.01 (the authors' code, after StarGAN).
    /// A critic whose units sit mostly on the negative side passes on only a hundredth of the gradient per layer, so it
    /// can fall flat (gradient penalty back near 1) and stay flat; 0.2, the usual slope of WGAN-GP critics, keeps more
    /// of the gradient. In [0, 1).
    /// </summary>
    public double CriticNegativeSlope { get; set; } = AuthorsCriticNegativeSlope;

    /// <summary>Training steps (the paper's iterations); each updates the critic once. Defaults to 100,000 (the paper).</summary>
    public long MaxSteps { get; set; } = 100_000;

    /// <summary>Critic updates per generator update: the generator is updated on every iteration i with
    /// (i + 1) divisible by this. Defaults to 2 (the paper).</summary>
    public int CriticSteps { get; set; } = 2;

    /// <summary>Weight λ of the WGAN-GP gradient penalty. Defaults to 10.</summary>
    public double GradientPenaltyWeight { get; set; } = 10;

    /// <summary>Weight of the L1 identity loss mean|x − G(x)| on normal images. Defaults to 1.</summary>
    public double IdentityWeight { get; set; } = 1;

    /// <summary>Weight of the MSE restoration loss mean(x − G(x̃))² on pseudo-anomalous normal images. Defaults to 1.</summary>
    public double RestorationWeight { get; set; } = 1;

    /// <summary>
    /// The decay of an exponential moving average of the generator's weights, updated after every generator step; the
    /// averaged weights are validated, selected and kept at the end instead of the last ones. 0 (the default, as in the
    /// paper) keeps the last weights; values such as 0.99 steady short runs, whose last weights swing from step to step.
    /// In [0, 1).
    /// </summary>
    public double GeneratorAverageDecay { get; set; }

    /// <summary>
    /// The share of the unlabeled pool held out of training (seeded, rounded to whole images) to validate on. When positive,
    /// the validation metric that selection and early stopping use is 1 − AUROC of the held-out normal images against the
    /// held-out pool images, scored by their mean restoration error: a pool that mixes in anomalies is told apart from
    /// normal images the better the generator has learned to restore them, so the metric needs no labels. 0 (the
    /// default) trains on the whole pool and validates on the held-out normals' mean error. In [0, 0.5].
    /// </summary>
    public double PoolValidationFraction { get; set; }

    /// <summary>The share of window pixels whose predicted residual is replaced by the input during training
    /// (the generator head's Bernoulli mixing). Defaults to 0.05.</summary>
    public double TrainingMixProbability { get; set; } = 0.05;

    /// <summary>
    /// Keeps the training-time mixing on when scoring, as the authors' code does (it never switches to evaluation
    /// mode); scores then vary slightly between calls. Defaults to false: scoring is deterministic.
    /// </summary>
    public bool TestStochasticMask { get; set; }

    /// <inheritdoc/>
    /// <remarks>The generator: the critic is not saved.</remarks>
    protected override torch.nn.Module CreateSavedNetwork() => new SaganGenerator(Channels, ConvDim, RepeatNum, new RandomSource(Seed));

    /// <inheritdoc/>
    /// <remarks>The generator's full-resolution stem, skip concatenation and fusion (about 5 · ConvDim channels), its
    /// encoder ladder and the mirrored decoder, the bottleneck's residual blocks at an eighth of the side, and one
    /// pass of the critic's ladder.</remarks>
    protected override long ActivationElementsPerImage()
    {
        long c = ConvDim;
        long side = ImageSize;
        var critic = new int[CriticRepeatNum];
        for (var i = 0; i < critic.Length; i++)
        {
            critic[i] = ConvDim << Math.Min(i, 20);
        }

        var fullResolution = 5 * c * side * side;
        var ladders = 2 * LadderActivationElements(ImageSize, [2 * ConvDim, 4 * ConvDim, 8 * ConvDim]);
        var bottleneck = RepeatNum * 2 * 8 * c * (side / 8) * (side / 8);
        return fullResolution + ladders + bottleneck + LadderActivationElements(ImageSize, critic);
    }

    /// <inheritdoc/>
    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (ImageSize < 32 || ImageSize % 16 != 0)
        {
            yield return Invalid(nameof(ImageSize), ImageSize, "a multiple of 16 and at least 32 (the generator works on 2×2 windows it downsamples three times)");
        }

        if (ConvDim is < 1 or > 1024)
        {
            yield return Invalid(nameof(ConvDim), ConvDim, "in [1, 1024]");
        }

        if (RepeatNum is < 0 or > 64)
        {
            yield return Invalid(nameof(RepeatNum), RepeatNum, "in [0, 64]");
        }

        if (CriticRepeatNum is < 1 or > 12)
        {
            yield return Invalid(nameof(CriticRepeatNum), CriticRepeatNum, "in [1, 12]");
        }
        else if (ImageSize % (1 << CriticRepeatNum) != 0)
        {
            yield return Invalid(nameof(CriticRepeatNum), CriticRepeatNum, $"such that ImageSize ({ImageSize}) is divisible by 2^{nameof(CriticRepeatNum)}");
        }

        if (!(CriticNegativeSlope is >= 0 and < 1))
        {
            yield return Invalid(nameof(CriticNegativeSlope), CriticNegativeSlope, "in [0, 1)");
        }

        if (MaxSteps < 1)
        {
            yield return Invalid(nameof(MaxSteps), MaxSteps, "at least 1");
        }

        if (CriticSteps < 1)
        {
            yield return Invalid(nameof(CriticSteps), CriticSteps, "at least 1");
        }

        foreach (var (name, value) in new[] { (nameof(GradientPenaltyWeight), GradientPenaltyWeight), (nameof(IdentityWeight), IdentityWeight), (nameof(RestorationWeight), RestorationWeight) })
        {
            if (!(value >= 0 && double.IsFinite(value)))
            {
                yield return Invalid(name, value, "finite and not negative");
            }
        }

        if (!(TrainingMixProbability is >= 0 and < 1))
        {
            yield return Invalid(nameof(TrainingMixProbability), TrainingMixProbability, "in [0, 1)");
        }

        if (!(PoolValidationFraction is >= 0 and <= 0.5))
        {
            yield return Invalid(nameof(PoolValidationFraction), PoolValidationFraction, "in [0, 0.5] (0 validates on the normal images' error)");
        }

        if (!(GeneratorAverageDecay is >= 0 and < 1))
        {
            yield return Invalid(nameof(GeneratorAverageDecay), GeneratorAverageDecay, "in [0, 1) (0 keeps the last weights)");
        }
    }
}
