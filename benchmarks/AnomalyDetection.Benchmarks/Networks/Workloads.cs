using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// The whole-network computations, by the names torch_networks.py gives their PyTorch twins:
/// <c>dcgan-d</c> (discriminator forward and backward), <c>unet</c> (U-Net generator forward and backward of an L1
/// reconstruction loss), <c>unet-step</c> (the same plus an Adam step) and <c>dcgan-step</c> (a whole DCGAN iteration).
/// </summary>
internal static class Workloads
{
    public static readonly string[] Names = ["dcgan-d", "unet", "unet-step", "dcgan-step"];

    /// <summary>Builds the networks and inputs (seeded) and returns the action that runs one iteration.</summary>
    public static Action Create(string name, int batch, int size)
    {
        var random = new RandomSource(7);
        using var scope = Init.UseRandom(random);
        return name switch
        {
            "dcgan-d" => DiscriminatorPass(random, batch, size),
            "unet" => UNetPass(random, batch, size, withOptimizer: false),
            "unet-step" => UNetPass(random, batch, size, withOptimizer: true),
            "dcgan-step" => new DcganTrainingStep(random, batch, size).Run,
            _ => throw new ArgumentException($"Unknown workload '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>Parses "name batch size", the form the memory probe passes on its command line.</summary>
    public static Action Create(string spec)
    {
        var words = spec.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length != 3)
        {
            throw new ArgumentException($"Expected 'name batch size' but got '{spec}'.", nameof(spec));
        }

        return Create(words[0], int.Parse(words[1], CultureInfo.InvariantCulture), int.Parse(words[2], CultureInfo.InvariantCulture));
    }

    private static Action DiscriminatorPass(RandomSource random, int batch, int size)
    {
        var discriminator = Dcgan.Discriminator();
        var real = Tensor.Uniform(random, -1f, 1f, batch, 1, size, size);
        var labels = Tensor.Ones(batch, 1, 1, 1);
        return () =>
        {
            discriminator.ZeroGrad();
            Functional.BinaryCrossEntropyWithLogits(discriminator.Forward(real), labels).Backward();
        };
    }

    private static Action UNetPass(RandomSource random, int batch, int size, bool withOptimizer)
    {
        var generator = new AttentionUNet();
        var optimizer = withOptimizer ? new Adam(generator.Parameters(), learningRate: 2e-4, beta1: 0.5) : null;
        var input = Tensor.Uniform(random, -1f, 1f, batch, 1, size, size);
        return () =>
        {
            generator.ZeroGrad();
            Functional.L1Loss(generator.Forward(input), input).Backward();
            optimizer?.Step();
        };
    }
}
