using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;
using AnomalyDetection.Tensors.Serialization;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Training;

/// <summary>Whole training steps: against PyTorch, loss that falls, and bit-for-bit reproducibility.</summary>
public class TrainingTests
{
    private static Sequential SmallConvNet(RandomSource? random = null) => new(
        new Conv2d(1, 4, 3, 1, 1, hasBias: false, random: random),
        new InstanceNorm2d(4, affine: true),
        new LeakyReLU(0.2f),
        new Conv2d(4, 8, 4, 2, 1, hasBias: false, random: random),
        new ReLU(),
        new ConvTranspose2d(8, 1, 4, 2, 1, random: random),
        new Tanh());

    private static Tensor Loss(Tensor output, Tensor target) => Functional.L1Loss(output, target) + Functional.MseLoss(output, target);

    [Fact]
    public void AdamSteps_SmallConvNet_MatchPyTorchLossesAndWeights()
    {
        // tools/golden/make_training_fixture.py: three Adam(lr 1e-2, betas (0.5, 0.999)) steps in PyTorch 1.13.
        var fixture = SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "training", "small_conv_net.safetensors")).Tensors;
        var net = SmallConvNet(new RandomSource(0));
        net.LoadStateDict(fixture.Where(p => p.Key.StartsWith("init.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["init.".Length..], p => p.Value), strict: true);
        var optimizer = new Adam(net.Parameters(), learningRate: 1e-2, beta1: 0.5, beta2: 0.999);
        var expectedLosses = fixture["loss"].ToArray();

        for (var step = 0; step < expectedLosses.Length; step++)
        {
            var loss = Loss(net.Forward(fixture["input"]), fixture["target"]);
            Assert.Equal(expectedLosses[step], loss.ToScalar(), 4);
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }

        foreach (var (name, tensor) in net.StateDict())
        {
            TensorAssert.Close(fixture["final." + name], tensor, absolute: 2e-5, relative: 2e-4);
        }
    }

    [Fact]
    public void Training_SyntheticDenoising_LossFallsBelowStatedValue()
    {
        var (final, initial) = TrainDenoiser(seed: 3);
        Assert.True(final < 0.25 * initial, $"loss fell only from {initial} to {final}");
        Assert.True(final < 0.05, $"final loss {final} is not below 0.05");
    }

    [Fact]
    public void Training_SameSeed_ReproducesBitForBit()
    {
        Assert.Equal(TrainDenoiser(seed: 9), TrainDenoiser(seed: 9));
        Assert.NotEqual(TrainDenoiser(seed: 9), TrainDenoiser(seed: 10));
    }

    /// <summary>Learns to remove noise from smooth ramps: 60 Adam steps on 16×16 images.</summary>
    private static (float Final, float Initial) TrainDenoiser(int seed)
    {
        var random = new RandomSource(seed);
        var net = SmallConvNet(random);
        var optimizer = new Adam(net.Parameters(), learningRate: 1e-2, beta1: 0.5, beta2: 0.999);
        float initial = 0, final = 0;
        for (var step = 0; step < 60; step++)
        {
            var clean = Ramps(random, 8, 16);
            var noisy = clean + Tensor.Normal(random, 0f, 0.2f, clean.ShapeArray());
            var loss = Functional.MseLoss(net.Forward(noisy), clean);
            if (step == 0)
            {
                initial = loss.ToScalar();
            }

            final = loss.ToScalar();
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();
        }

        return (final, initial);
    }

    private static Tensor Ramps(RandomSource random, int batch, int size)
    {
        var data = new float[batch * size * size];
        for (var b = 0; b < batch; b++)
        {
            var slope = random.NextSingle() - 0.5f;
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    data[(b * size * size) + (y * size) + x] = slope * ((x + y) / (float)size - 1f);
                }
            }
        }

        return Tensor.FromArray(data, batch, 1, size, size);
    }
}
