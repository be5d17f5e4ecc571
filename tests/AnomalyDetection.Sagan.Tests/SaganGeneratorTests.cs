using AnomalyDetection.Components;
using AnomalyDetection.Tensors;

namespace AnomalyDetection.Sagan.Tests;

public class SaganGeneratorTests
{
    private static readonly SaganGenerator Generator = new(1, 4, 1, new RandomSource(1));

    [Theory]
    [InlineData(48)]
    [InlineData(32)]
    public void Restore_SizeMultipleOf16_KeepsTheShapeInsideTheTanhRange(int size)
    {
        using var noGrad = GradMode.NoGrad();
        var images = Tensor.Uniform(new RandomSource(2), -1f, 1f, 2, 1, size, size);

        var restored = Generator.Restore(images);

        Assert.Equal(images.ShapeArray(), restored.ShapeArray());
        Assert.All(restored.ToArray(), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Restore_SizeNotMultipleOf16_ThrowsNamingTheWindowShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Restore(Tensor.Zeros(1, 1, 40, 40)));

        Assert.Contains("[4, 1, 20, 20]", error.Message, StringComparison.Ordinal);
        Assert.Contains("divisible by 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_KeepMaskOfWrongShape_ThrowsWithTheExpectedShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator.Restore(Tensor.Zeros(1, 1, 32, 32), Tensor.Ones(4, 1, 32, 32)));

        Assert.Contains("must have shape [4, 1, 16, 16]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_FullyMixed_ReturnsTanhOfTwiceTheInput()
    {
        // Where the keep mask is 0 the residual is replaced by the input, so the output is tanh(x + x).
        using var noGrad = GradMode.NoGrad();
        var images = Tensor.Uniform(new RandomSource(3), -1f, 1f, 1, 1, 32, 32);

        var restored = Generator.Restore(images, Tensor.Zeros(4, 1, 16, 16));

        Assert.Equal((images * 2f).Tanh().ToArray(), restored.ToArray());
    }

    [Fact]
    public void SampleKeepMask_MixesTheGivenShareOfPixels()
    {
        var mask = SaganGenerator.SampleKeepMask(images: 8, height: 64, width: 64, mixProbability: 0.05, new RandomSource(4));

        Assert.Equal([32, 1, 32, 32], mask.ShapeArray());
        Assert.All(mask.ToArray(), v => Assert.True(v is 0f or 1f));
        var mixed = mask.ToArray().Count(v => v == 0f) / (double)mask.Count;
        Assert.InRange(mixed, 0.04, 0.06); // 32,768 draws: the standard error is 0.0012
        Assert.All(SaganGenerator.SampleKeepMask(2, 32, 32, 0, new RandomSource(5)).ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void AttentionGate_GateAndSkipOfDifferentSizes_ThrowsNamingBoth()
    {
        var gate = new AttentionGate(4, 2, 2, new RandomSource(6));

        var error = Assert.Throws<ArgumentException>(() => gate.Forward(Tensor.Zeros(1, 4, 4, 4), Tensor.Zeros(1, 2, 8, 8)));

        Assert.Contains("[1, 4, 4, 4] and [1, 2, 8, 8]", error.Message, StringComparison.Ordinal);
    }
}
