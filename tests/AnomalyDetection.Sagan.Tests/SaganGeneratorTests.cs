using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;

namespace AnomalyDetection.Sagan.Tests;

public class SaganGeneratorTests
{
    private static readonly SaganGenerator Generator = new(1, 4, 1, new RandomSource(1));

    [Theory]
    [InlineData(48)]
    [InlineData(32)]
    public void Restore_ChangingOneWindow_ChangesOnlyThatQuarterOfTheOutput(int size)
    {
        // Each 2×2 window is restored on its own (instance norms see one window), so an edit to the bottom-right
        // quarter of an image must leave the other three quarters of its restoration bit for bit as they were.
        using var noGrad = torch.no_grad();
        var images = RandomTensors.Uniform(2, -1f, 1f, 2, 1, size, size);
        var edited = images.clone();
        var half = size / 2;
        edited[.., .., half.., half..] = RandomTensors.Uniform(3, -1f, 1f, 2, 1, half, half);

        var before = Generator.Restore(images);
        var after = Generator.Restore(edited);

        Assert.Equal(images.shape, before.shape);
        TensorAssert.BitEqual(before[.., .., ..half, ..], after[.., .., ..half, ..]);
        TensorAssert.BitEqual(before[.., .., half.., ..half], after[.., .., half.., ..half]);
        Assert.NotEqual(TensorData.ToArray(before[.., .., half.., half..]), TensorData.ToArray(after[.., .., half.., half..]));
    }

    [Fact]
    public void Constructors_SameSeed_GiveBitIdenticalWeights_OtherSeedDiffers()
    {
        // Every tensor comes from the seeded source, none from LibTorch's own generator (which would differ per run).
        using var first = new SaganGenerator(1, 4, 1, new RandomSource(5));
        using var second = new SaganGenerator(1, 4, 1, new RandomSource(5));
        using var other = new SaganGenerator(1, 4, 1, new RandomSource(6));
        using var critic = new WassersteinCritic(1, 4, 5, new RandomSource(5));
        using var criticAgain = new WassersteinCritic(1, 4, 5, new RandomSource(5));

        Assert.Equal(SaganTrainerTests.Snapshot(first), SaganTrainerTests.Snapshot(second));
        Assert.Equal(SaganTrainerTests.Snapshot(critic), SaganTrainerTests.Snapshot(criticAgain));
        var firstWeights = StateDicts.Export(first);
        foreach (var (name, tensor) in StateDicts.Export(other))
        {
            // Affine norms start at exactly 1 and 0 whatever the seed; every convolution must differ.
            var values = TensorData.ToArray(firstWeights[name]);
            if (values.Distinct().Count() > 1)
            {
                Assert.NotEqual(values, TensorData.ToArray(tensor));
            }
        }
    }

    [Fact]
    public void Restore_SizeNotMultipleOf16_ThrowsNamingTheWindowShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Restore(torch.zeros(1, 1, 40, 40)));

        Assert.Contains("[4, 1, 20, 20]", error.Message, StringComparison.Ordinal);
        Assert.Contains("divisible by 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_KeepMaskOfWrongShape_ThrowsWithTheExpectedShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Restore(torch.zeros(1, 1, 32, 32), torch.ones(4, 1, 32, 32)));

        Assert.Contains("must have shape [4, 1, 16, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_FullyMixed_ReturnsTanhOfTwiceTheInput()
    {
        // Where the keep mask is 0 the residual is replaced by the input, so the output is tanh(x + x).
        using var noGrad = torch.no_grad();
        var images = RandomTensors.Uniform(3, -1f, 1f, 1, 1, 32, 32);

        var restored = Generator.Restore(images, torch.zeros(4, 1, 16, 16));

        TensorAssert.BitEqual((images * 2f).tanh(), restored);
    }

    [Fact]
    public void SampleKeepMask_MixesTheGivenShareOfPixels()
    {
        var mask = TensorData.ToArray(SaganGenerator.SampleKeepMask(images: 8, height: 64, width: 64, mixProbability: 0.05, new RandomSource(4)));

        Assert.Equal([32L, 1, 32, 32], SaganGenerator.SampleKeepMask(8, 64, 64, 0.05, new RandomSource(4)).shape);
        Assert.All(mask, v => Assert.True(v is 0f or 1f));
        var mixed = mask.Count(v => v == 0f) / (double)mask.Length;
        Assert.InRange(mixed, 0.04, 0.06); // 32,768 draws: the standard error is 0.0012
        Assert.All(TensorData.ToArray(SaganGenerator.SampleKeepMask(2, 32, 32, 0, new RandomSource(5))), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void AttentionGate_GateAndSkipOfDifferentSizes_ThrowsNamingBoth()
    {
        using var gate = new AttentionGate(4, 2, 2, new RandomSource(6));

        var error = Assert.Throws<ArgumentException>(() => gate.forward(torch.zeros(1, 4, 4, 4), torch.zeros(1, 2, 8, 8)));

        Assert.Contains("[1, 4, 4, 4] and [1, 2, 8, 8]", error.Message, StringComparison.Ordinal);
    }
}
