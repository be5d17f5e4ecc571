using AnomalyDetection.Components;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Sagan.Tests;

/// <summary>
/// The C# generator and critic against the PyTorch reference (tools/sagan/sagan_reference.py, fixture at ConvDim 4
/// with 2 residual blocks, 2 images of 64×64): same weights (loaded strictly by name), same outputs and gradients.
/// Tolerances: restored images within 2e-5 absolute (float32 through about 40 layers with instance norms; PyTorch's
/// own float32 result differs from its float64 result by 9e-6 here); critic scores within 1e-6 + 1e-5 relative;
/// gradients within 1e-3 of their scale, since they sum many more terms in another order.
/// </summary>
public class ReferenceParityTests(ReferenceFixture reference) : IClassFixture<ReferenceFixture>
{
    [Fact]
    public void Restore_ReferenceWeights_ReproducesRestoredImages()
    {
        using var noGrad = GradMode.NoGrad();

        var restored = reference.Generator.Restore(reference["input"]);

        Close.Equal(reference["restored"], restored, absolute: 2e-5, what: "restored");
    }

    [Fact]
    public void Restore_WithReferenceKeepMask_ReproducesMixedImages()
    {
        using var noGrad = GradMode.NoGrad();

        var restored = reference.Generator.Restore(reference["input"], reference["keep_mask"]);

        Close.Equal(reference["restored_mixed"], restored, absolute: 2e-5, what: "restored_mixed");
    }

    [Fact]
    public void Critic_ReferenceWeights_ReproducesScores()
    {
        using var noGrad = GradMode.NoGrad();

        var scores = reference.Critic.Forward(reference["input"]);

        Close.Equal(reference["critic_output"], scores, absolute: 1e-6, relative: 1e-5, what: "critic_output");
    }

    [Fact]
    public void GradientPenalty_ReferenceCritic_ReproducesValueAndParameterGradients()
    {
        reference.Critic.ZeroGrad();

        var penalty = GradientPenalty.Compute(reference.Critic.Forward, reference["input"], reference["restored"], reference["alpha"]);
        penalty.Backward();

        Close.Equal(reference["gradient_penalty"], penalty.Reshape(1), absolute: 1e-6, relative: 1e-4, what: "gradient_penalty");
        AssertGradients(reference.Critic, "gp_grad.");
        reference.Critic.ZeroGrad();
    }

    [Fact]
    public void IdentityLoss_ReferenceGenerator_ReproducesValueAndParameterGradients()
    {
        reference.Generator.ZeroGrad();
        var input = reference["input"];

        var loss = (input - reference.Generator.Restore(input, reference["keep_mask"])).Abs().Mean();
        loss.Backward();

        Close.Equal(reference["generator_loss"], loss.Reshape(1), absolute: 1e-6, relative: 1e-5, what: "generator_loss");
        AssertGradients(reference.Generator, "generator_grad.");
        reference.Generator.ZeroGrad();
    }

    [Fact]
    public void TrainerUpdate_ReferenceIteration_ReproducesLossesGradientsAndCriticStep()
    {
        // One full iteration from the reference weights on the reference's inputs: the critic update (WGAN-GP), then
        // the generator update (adversarial + identity + restoration), with Adam 5e-5 as in the paper.
        var options = new SaganOptions { ConvDim = ReferenceFixture.ConvDim, RepeatNum = ReferenceFixture.RepeatNum, BatchSize = 2 };
        var trainer = new SaganTrainer(options, Tiny.Context(options, imageSize: 64));
        trainer.Generator.LoadStateDict(reference.Generator.StateDict());
        trainer.Critic.LoadStateDict(reference.Critic.StateDict());
        var batch = new SaganBatch(reference["step.normal"], reference["step.unlabeled"], reference["step.pseudo_anomalous"], reference["step.alpha"],
            reference["step.critic_keep_mask"], reference["step.generator_keep_mask"], UpdateGenerator: true);
        var losses = new Dictionary<string, double>();

        trainer.Update(batch, losses);

        foreach (var name in new[] { "critic", "gradient_penalty", "generator", "adversarial", "identity", "restoration" })
        {
            var expected = reference["step.loss." + name].Span[0];
            Assert.True(Math.Abs(expected - losses[name]) <= 1e-5 + (1e-4 * Math.Abs(expected)), $"{name}: expected {expected:G9}, got {losses[name]:G9}");
        }

        // The critic's gradients are those of its own update: it is frozen during the generator's.
        AssertGradients(trainer.Critic, "step.critic_grad.");
        AssertGradients(trainer.Generator, "step.generator_grad.");

        // Adam's first step moves each weight by about ±5e-5, so a sign error would show as 1e-4.
        foreach (var (name, parameter) in trainer.Critic.NamedParameters())
        {
            Close.Equal(reference["step.critic_after." + name], parameter, absolute: 1e-6, what: "critic " + name + " after its step");
        }
    }

    [Fact]
    public void LoadStateDict_ReferenceWeightsWithAnExtraTensor_FailsStrictly()
    {
        var generator = new SaganGenerator(1, ReferenceFixture.ConvDim, ReferenceFixture.RepeatNum, new RandomSource(3));
        var weights = reference.Generator.StateDict().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        weights["head.bias"] = Tensor.Zeros(1);

        var error = Assert.Throws<StateDictMismatchException>(() => generator.LoadStateDict(weights));

        Assert.Contains("head.bias", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParameterCounts_PaperWidth_EqualTheReferenceArchitecture()
    {
        // Counted by tools/sagan/sagan_reference.py count (PyTorch): 44,758,979 and 44,719,040.
        Assert.Equal(44_758_979, new SaganGenerator(1, 64, 6, new RandomSource(0)).ParameterCount());
        Assert.Equal(44_719_040, new WassersteinCritic(1, 64, 6, new RandomSource(0)).ParameterCount());
    }

    /// <summary>
    /// Compares every parameter gradient with PyTorch's, within 1e-3 of the larger of its own largest magnitude and a
    /// thousandth of the module's: biases just before a plain instance norm (position fusion, attention gates) and the
    /// critic's biases under the penalty have gradients that are zero in exact arithmetic, and float noise in both.
    /// A parameter the graph never reaches (null gradient) counts as zero.
    /// </summary>
    private void AssertGradients(Module module, string prefix)
    {
        var parameters = module.NamedParameters().ToList();
        Assert.Equal(
            parameters.Select(p => prefix + p.Name).Order(StringComparer.Ordinal),
            reference.Outputs.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        var moduleScale = parameters.Max(p => MaxAbs(reference[prefix + p.Name]));
        foreach (var (name, parameter) in parameters)
        {
            var expected = reference[prefix + name];
            var actual = parameter.Grad ?? Tensor.ZerosLike(parameter);
            var tolerance = 1e-3 * Math.Max(MaxAbs(expected), 1e-3 * moduleScale);
            var error = expected.Span.ToArray().Zip(actual.Span.ToArray(), (e, a) => Math.Abs((double)e - a)).Max();
            Assert.True(error <= tolerance, $"{prefix}{name}: largest error {error:G3} exceeds {tolerance:G3}");
        }
    }

    private static double MaxAbs(Tensor tensor) => tensor.Span.ToArray().Max(v => Math.Abs((double)v));
}
