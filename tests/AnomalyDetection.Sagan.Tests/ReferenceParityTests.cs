using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Xunit.Abstractions;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Tests;

/// <summary>
/// The C# generator and critic against the PyTorch reference (tools/sagan/sagan_reference.py, fixture at ConvDim 4
/// with 2 residual blocks, 2 images of 64×64): same weights (loaded strictly by name), same outputs and gradients.
/// Tolerances: restored images within 2e-5 absolute (float32 through about 40 layers with instance norms; PyTorch's
/// own float32 result differs from its float64 result by 9e-6 here); critic scores within 1e-6 + 1e-5 relative;
/// gradients within 1e-3 of their scale, since they sum many more terms in another order. Each test writes the
/// largest error it saw to the test output.
/// </summary>
public class ReferenceParityTests(ReferenceFixture reference, ITestOutputHelper output) : IClassFixture<ReferenceFixture>
{
    [Fact]
    public void Restore_ReferenceWeights_ReproducesRestoredImages()
    {
        using var noGrad = torch.no_grad();

        var restored = reference.Generator.Restore(reference["input"]);

        Compare(reference["restored"], restored, absolute: 2e-5, relative: 0, "restored");
    }

    [Fact]
    public void Restore_WithReferenceKeepMask_ReproducesMixedImages()
    {
        using var noGrad = torch.no_grad();

        var restored = reference.Generator.Restore(reference["input"], reference["keep_mask"]);

        Compare(reference["restored_mixed"], restored, absolute: 2e-5, relative: 0, "restored_mixed");
    }

    [Fact]
    public void Critic_ReferenceWeights_ReproducesScores()
    {
        using var noGrad = torch.no_grad();

        var scores = reference.Critic.forward(reference["input"]);

        Compare(reference["critic_output"], scores, absolute: 1e-6, relative: 1e-5, "critic_output");
    }

    [Fact]
    public void GradientPenalty_ReferenceCritic_ReproducesValueAndParameterGradients()
    {
        reference.Critic.zero_grad();

        var penalty = GradientPenalty.Compute(reference.Critic.forward, reference["input"], reference["restored"], reference["alpha"]);
        penalty.backward();

        Compare(reference["gradient_penalty"], penalty.reshape(1), absolute: 1e-6, relative: 1e-4, "gradient_penalty");
        AssertGradients(reference.Critic, "gp_grad.");
        reference.Critic.zero_grad();
    }

    [Fact]
    public void IdentityLoss_ReferenceGenerator_ReproducesValueAndParameterGradients()
    {
        reference.Generator.zero_grad();
        var input = reference["input"];

        var loss = (input - reference.Generator.Restore(input, reference["keep_mask"])).abs().mean();
        loss.backward();

        Compare(reference["generator_loss"], loss.reshape(1), absolute: 1e-6, relative: 1e-5, "generator_loss");
        AssertGradients(reference.Generator, "generator_grad.");
        reference.Generator.zero_grad();
    }

    [Fact]
    public void TrainerUpdate_ReferenceIteration_ReproducesLossesGradientsAndCriticStep()
    {
        // One full iteration from the reference weights on the reference's inputs: the critic update (WGAN-GP), then
        // the generator update (adversarial + identity + restoration), with Adam 5e-5 as in the paper.
        var options = new SaganOptions { ConvDim = ReferenceFixture.ConvDim, RepeatNum = ReferenceFixture.RepeatNum, BatchSize = 2 };
        using var generator = Tiny.Generator(options);
        using var trainer = new SaganTrainer(generator, options, Tiny.Context(options, imageSize: 64));
        StateDicts.LoadStrict(trainer.Generator, StateDicts.Export(reference.Generator), "generator");
        StateDicts.LoadStrict(trainer.Critic, StateDicts.Export(reference.Critic), "critic");
        var batch = new SaganBatch(reference["step.normal"], reference["step.unlabeled"], reference["step.pseudo_anomalous"], reference["step.alpha"],
            reference["step.critic_keep_mask"], reference["step.generator_keep_mask"], UpdateGenerator: true);
        var losses = new Dictionary<string, double>();

        trainer.Update(batch, losses);

        foreach (var name in new[] { "critic", "gradient_penalty", "generator", "adversarial", "identity", "restoration" })
        {
            var expected = TensorData.ToArray(reference["step.loss." + name])[0];
            output.WriteLine($"step.loss.{name}: error {Math.Abs(expected - losses[name]):G3}");
            Assert.True(Math.Abs(expected - losses[name]) <= 1e-5 + (1e-4 * Math.Abs(expected)), $"{name}: expected {expected:G9}, got {losses[name]:G9}");
        }

        // The critic's gradients are those of its own update: it is frozen during the generator's.
        AssertGradients(trainer.Critic, "step.critic_grad.");
        AssertGradients(trainer.Generator, "step.generator_grad.");

        // Adam's first step moves each weight by about ±5e-5, so a sign error would show as 1e-4.
        foreach (var (name, parameter) in trainer.Critic.named_parameters())
        {
            Compare(reference["step.critic_after." + name], parameter, absolute: 1e-6, relative: 0, "critic " + name + " after its step");
        }
    }

    [Fact]
    public void LoadStrict_ReferenceWeightsWithAnExtraTensor_Fails()
    {
        using var generator = new SaganGenerator(1, ReferenceFixture.ConvDim, ReferenceFixture.RepeatNum, new RandomSource(3));
        var weights = StateDicts.Export(reference.Generator);
        weights["head.bias"] = torch.zeros(1);

        var error = Assert.Throws<StateDictMismatchException>(() => StateDicts.LoadStrict(generator, weights, "generator"));

        Assert.Equal(["head.bias"], error.UnexpectedKeys);
        Assert.Empty(error.MissingKeys);
    }

    [Fact]
    public void StateDictNames_AreTheReferenceNames_WithoutNormBuffers()
    {
        using var generator = new SaganGenerator(1, ReferenceFixture.ConvDim, ReferenceFixture.RepeatNum, new RandomSource(3));
        using var critic = new WassersteinCritic(1, ReferenceFixture.ConvDim, 6, new RandomSource(4));

        Assert.Equal(reference.Generator.state_dict().Keys.Order(StringComparer.Ordinal), generator.state_dict().Keys.Order(StringComparer.Ordinal));
        Assert.Contains("bottleneck.1.main.4.bias", generator.state_dict().Keys);
        Assert.Contains("fuse1.1.1.weight", generator.state_dict().Keys);
        Assert.DoesNotContain(generator.state_dict().Keys, k => k.Contains("running", StringComparison.Ordinal));
        Assert.Equal(
            ["head.weight", "main.0.bias", "main.0.weight", "main.10.bias", "main.10.weight", "main.2.bias", "main.2.weight", "main.4.bias", "main.4.weight", "main.6.bias", "main.6.weight", "main.8.bias", "main.8.weight"],
            critic.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParameterCounts_PaperWidth_EqualTheReferenceArchitecture()
    {
        // Counted by tools/sagan/sagan_reference.py count (PyTorch): 44,758,979 and 44,719,040.
        using var generator = new SaganGenerator(1, 64, 6, new RandomSource(0));
        Assert.Equal(44_758_979, generator.parameters().Sum(p => p.numel()));
        using var critic = new WassersteinCritic(1, 64, 6, new RandomSource(0));
        Assert.Equal(44_719_040, critic.parameters().Sum(p => p.numel()));
    }

    private void Compare(Tensor expected, Tensor actual, double absolute, double relative, string what)
    {
        output.WriteLine($"{what}: largest error {MaxAbsDifference(expected, actual):G3}");
        TensorAssert.Close(expected, actual, absolute, relative, what);
    }

    /// <summary>
    /// Compares every parameter gradient with PyTorch's, within 1e-3 of the larger of its own largest magnitude and a
    /// thousandth of the module's: biases just before a plain instance norm (position fusion, attention gates) and the
    /// critic's biases under the penalty have gradients that are zero in exact arithmetic, and float noise in both.
    /// A parameter the graph never reaches (no gradient) counts as zero.
    /// </summary>
    private void AssertGradients(Module module, string prefix)
    {
        var parameters = module.named_parameters().ToList();
        Assert.Equal(
            parameters.Select(p => p.name).Order(StringComparer.Ordinal),
            reference.Outputs.WithPrefix(prefix).Keys.Order(StringComparer.Ordinal));
        var moduleScale = parameters.Max(p => MaxAbs(reference[prefix + p.name]));
        var worst = 0.0;
        foreach (var (name, parameter) in parameters)
        {
            var expected = reference[prefix + name];
            var actual = parameter.grad ?? torch.zeros_like(parameter);
            var tolerance = 1e-3 * Math.Max(MaxAbs(expected), 1e-3 * moduleScale);
            var error = MaxAbsDifference(expected, actual);
            worst = Math.Max(worst, error / Math.Max(MaxAbs(expected), 1e-3 * moduleScale));
            Assert.True(error <= tolerance, $"{prefix}{name}: largest error {error:G3} exceeds {tolerance:G3}");
        }

        output.WriteLine($"{prefix}*: largest error relative to the gradient's scale {worst:G3}");
    }

    private static double MaxAbs(Tensor tensor) => TensorData.ToArray(tensor).Max(v => Math.Abs((double)v));

    private static double MaxAbsDifference(Tensor expected, Tensor actual) =>
        TensorData.ToArray(expected).Zip(TensorData.ToArray(actual), (e, a) => Math.Abs((double)e - a)).Max();
}
