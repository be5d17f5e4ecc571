using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// One DCGAN training iteration as the PyTorch DCGAN example does it: the discriminator learns from a real batch
/// and a generated one (binary cross-entropy on logits), then the generator learns to fool it; Adam (lr 2e-4,
/// betas 0.5/0.999) on both. Mirrors <c>DcganStep</c> in torch_networks.py.
/// </summary>
internal sealed class DcganTrainingStep
{
    private readonly Sequential _generator = Dcgan.Generator();
    private readonly Sequential _discriminator = Dcgan.Discriminator();
    private readonly Adam _generatorOptimizer;
    private readonly Adam _discriminatorOptimizer;
    private readonly Tensor _real;
    private readonly Tensor _noise;
    private readonly Tensor _realLabels;
    private readonly Tensor _fakeLabels;

    public DcganTrainingStep(RandomSource random, int batch, int size)
    {
        if (size != 64)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The DCGAN networks are built for 64×64 images.");
        }

        _generatorOptimizer = new Adam(_generator.Parameters(), learningRate: 2e-4, beta1: 0.5);
        _discriminatorOptimizer = new Adam(_discriminator.Parameters(), learningRate: 2e-4, beta1: 0.5);
        _real = Tensor.Uniform(random, -1f, 1f, batch, 1, size, size);
        _noise = Tensor.Normal(random, 0f, 1f, batch, Dcgan.LatentSize, 1, 1);
        _realLabels = Tensor.Ones(batch, 1, 1, 1);
        _fakeLabels = Tensor.Zeros(batch, 1, 1, 1);
    }

    /// <summary>The generator loss of the last step.</summary>
    public float GeneratorLoss { get; private set; }

    public void Run()
    {
        _discriminator.ZeroGrad();
        Functional.BinaryCrossEntropyWithLogits(_discriminator.Forward(_real), _realLabels).Backward();
        var fake = _generator.Forward(_noise);
        Functional.BinaryCrossEntropyWithLogits(_discriminator.Forward(fake.Detach()), _fakeLabels).Backward();
        _discriminatorOptimizer.Step();

        _generator.ZeroGrad();
        var generatorLoss = Functional.BinaryCrossEntropyWithLogits(_discriminator.Forward(fake), _realLabels);
        generatorLoss.Backward();
        _generatorOptimizer.Step();
        GeneratorLoss = generatorLoss.ToScalar();
    }
}
