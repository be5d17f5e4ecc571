using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Tensors.Tests.NN;

public class InitTests
{
    [Theory]
    [InlineData(3, 8, 3)]
    [InlineData(1, 16, 7)]
    public void Conv2d_DefaultInit_IsUniformWithinOneOverSqrtFanIn(int inChannels, int outChannels, int kernel)
    {
        var conv = new Conv2d(inChannels, outChannels, kernel, random: new RandomSource(3));
        var bound = 1.0 / Math.Sqrt(inChannels * kernel * kernel);
        AssertUniform(conv.Weight, bound);
        AssertWithin(conv.Bias!, bound);
    }

    [Fact]
    public void ConvTranspose2d_DefaultInit_TakesFanInFromDimensionOne()
    {
        // PyTorch: nn.init._calculate_fan_in_and_fan_out(nn.ConvTranspose2d(8, 4, 4).weight) == (64, 128)
        var deconv = new ConvTranspose2d(8, 4, 4, random: new RandomSource(4));
        Assert.Equal((64, 128), Init.FanInAndFanOut(deconv.Weight));
        AssertUniform(deconv.Weight, 1.0 / 8);

        // Values beyond 1/√128 (the bound a fan-in from dimension 0 would give) prove which dimension was used.
        Assert.Contains(deconv.Weight.ToArray(), v => Math.Abs(v) > 1 / Math.Sqrt(128));
        AssertWithin(deconv.Bias!, 1.0 / 8);
    }

    [Fact]
    public void Linear_DefaultInit_IsUniformWithinOneOverSqrtInFeatures()
    {
        var linear = new Linear(64, 40, random: new RandomSource(5));
        AssertUniform(linear.Weight, 1.0 / 8);
        AssertWithin(linear.Bias!, 1.0 / 8);
    }

    [Fact]
    public void NormLayers_StartAtIdentity()
    {
        var bn = new BatchNorm2d(3);
        Assert.Equal([1f, 1f, 1f], bn.Weight!.ToArray());
        Assert.Equal([0f, 0f, 0f], bn.Bias!.ToArray());
        Assert.Equal([0f, 0f, 0f], bn.RunningMean!.ToArray());
        Assert.Equal([1f, 1f, 1f], bn.RunningVar!.ToArray());
        Assert.Equal(0f, bn.NumBatchesTracked!.ToScalar());
        var norm = new InstanceNorm2d(2, affine: true);
        Assert.Equal([1f, 1f], norm.Weight!.ToArray());
        Assert.Equal([0f, 0f], norm.Bias!.ToArray());
        var layerNorm = new LayerNorm([2, 3]);
        Assert.All(layerNorm.Weight!.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(layerNorm.Bias!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalWeights_OtherSeedDoesNot()
    {
        var a = new TestNet(new RandomSource(42)).StateDict();
        var b = new TestNet(new RandomSource(42)).StateDict();
        var c = new TestNet(new RandomSource(43)).StateDict();
        foreach (var (name, tensor) in a)
        {
            Assert.Equal(tensor.ToArray(), b[name].ToArray());
        }

        Assert.NotEqual(a["encoder.0.weight"].ToArray(), c["encoder.0.weight"].ToArray());
    }

    [Fact]
    public void UseRandom_ScopeGivesTheSameWeightsAsAnExplicitSource()
    {
        var explicitLayers = new Sequential(new Conv2d(2, 3, 3, random: new RandomSource(9)));
        Sequential scoped;
        using (Init.UseRandom(new RandomSource(9)))
        {
            scoped = new Sequential(new Conv2d(2, 3, 3));
        }

        Assert.Equal(explicitLayers.StateDict()["0.weight"].ToArray(), scoped.StateDict()["0.weight"].ToArray());
        Assert.Equal(explicitLayers.StateDict()["0.bias"].ToArray(), scoped.StateDict()["0.bias"].ToArray());
    }

    [Fact]
    public void Layer_WithoutSourceOrScope_ThrowsNamingTheFix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new Linear(2, 2));
        Assert.Contains("Init.UseRandom", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Linear", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KaimingNormal_HasTheHeStandardDeviation()
    {
        var w = Init.KaimingNormal(Tensor.Zeros(256, 256), nonlinearity: Nonlinearity.ReLU, random: new RandomSource(6));
        var (mean, std) = Moments(w);
        Assert.InRange(mean, -0.002, 0.002);
        Assert.InRange(std, 0.98 * Math.Sqrt(2.0 / 256), 1.02 * Math.Sqrt(2.0 / 256));
    }

    [Fact]
    public void KaimingUniform_FanOutWithReLUGain_HasBoundSqrtSixOverFanOut()
    {
        var w = Init.KaimingUniform(Tensor.Zeros(32, 8, 3, 3), mode: FanMode.FanOut, nonlinearity: Nonlinearity.ReLU, random: new RandomSource(7));
        AssertUniform(w, Math.Sqrt(6.0 / (32 * 9)));
    }

    [Fact]
    public void XavierUniformAndNormal_UseFanInPlusFanOut()
    {
        var uniform = Init.XavierUniform(Tensor.Zeros(100, 50), gain: 2, random: new RandomSource(8));
        AssertUniform(uniform, 2 * Math.Sqrt(6.0 / 150));
        var normal = Init.XavierNormal(Tensor.Zeros(300, 200), random: new RandomSource(8));
        Assert.InRange(Moments(normal).Std, 0.98 * Math.Sqrt(2.0 / 500), 1.02 * Math.Sqrt(2.0 / 500));
    }

    [Fact]
    public void NormalConstantZerosOnes_FillAsAsked()
    {
        var (mean, std) = Moments(Init.Normal(Tensor.Zeros(200, 100), 0.5, 0.02, new RandomSource(10)));
        Assert.InRange(mean, 0.4995, 0.5005);
        Assert.InRange(std, 0.0196, 0.0204);
        Assert.All(Init.Constant(Tensor.Zeros(3), 2.5f).ToArray(), v => Assert.Equal(2.5f, v));
        Assert.All(Init.Ones(Tensor.Zeros(3)).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Init.Zeros(Tensor.Ones(3)).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(Nonlinearity.Linear, 0.01, 1.0)]
    [InlineData(Nonlinearity.Sigmoid, 0.01, 1.0)]
    [InlineData(Nonlinearity.Tanh, 0.01, 5.0 / 3)]
    [InlineData(Nonlinearity.ReLU, 0.01, 1.4142135623730951)]
    [InlineData(Nonlinearity.LeakyReLU, 0.2, 1.3867504905630728)]
    public void Gain_MatchesPyTorchCalculateGain(Nonlinearity nonlinearity, double slope, double expected)
    {
        // PyTorch: nn.init.calculate_gain('leaky_relu', 0.2) == 1.3867504905630728
        Assert.Equal(expected, Init.Gain(nonlinearity, slope), 15);
    }

    [Fact]
    public void FanInAndFanOut_RankOne_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Init.FanInAndFanOut(Tensor.Zeros(5)));
        Assert.Contains("[5]", ex.Message, StringComparison.Ordinal);
    }

    private static void AssertWithin(Tensor t, double bound) =>
        Assert.All(t.ToArray(), v => Assert.InRange(v, -(float)bound, (float)bound));

    /// <summary>Within ±bound, reaching near both ends, with the mean and variance of U(−b, b).</summary>
    private static void AssertUniform(Tensor t, double bound)
    {
        AssertWithin(t, bound);
        var values = t.ToArray();
        Assert.True(values.Max() > 0.9 * bound, $"max {values.Max()} is far below the bound {bound}");
        Assert.True(values.Min() < -0.9 * bound, $"min {values.Min()} is far above the bound {-bound}");
        var (mean, std) = Moments(t);
        var expectedStd = bound / Math.Sqrt(3);
        Assert.InRange(mean, -0.2 * bound, 0.2 * bound);
        Assert.InRange(std, 0.85 * expectedStd, 1.15 * expectedStd);
    }

    private static (double Mean, double Std) Moments(Tensor t)
    {
        var values = t.ToArray();
        var mean = values.Average(v => (double)v);
        var variance = values.Average(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(variance));
    }
}
