using AnomalyDetection.Randomness;
using TorchSharp;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>
/// Finite-difference checks of autograd gradients, in float64: the output is reduced against fixed random weights
/// (Σ r·f), and each input or parameter element is nudged by ±ε. They check that a component's forward pass is
/// differentiable end to end and wires every parameter into the output.
/// </summary>
internal static class GradCheck
{
    private const double Epsilon = 1e-6;
    private const double Tolerance = 1e-5;

    /// <summary>Checks the gradient of <paramref name="function"/> with respect to its input.</summary>
    /// <param name="function">Maps a float64 tensor to a float64 tensor; must be deterministic.</param>
    /// <param name="input">The point to check at; converted to float64.</param>
    public static void Input(Func<Tensor, Tensor> function, Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.to_type(torch.float64).detach().clone();
        var weights = OutputWeights(function(x));
        var leaf = x.clone().requires_grad_(true);
        (function(leaf) * weights).sum().backward();
        var analytic = leaf.grad ?? throw new Xunit.Sdk.XunitException("The input received no gradient.");
        Compare("input", x, analytic, () => Weighted(function(x), weights));
    }

    /// <summary>Checks the gradients every parameter of <paramref name="module"/> receives.</summary>
    /// <param name="module">The module, already converted to float64.</param>
    /// <param name="forward">Runs the module on fixed float64 inputs.</param>
    public static void Parameters(Module module, Func<Tensor> forward)
    {
        using var scope = torch.NewDisposeScope();
        Tensor weights;
        using (torch.no_grad())
        {
            weights = OutputWeights(forward());
        }

        module.zero_grad();
        (forward() * weights).sum().backward();
        foreach (var (name, parameter) in module.named_parameters())
        {
            var analytic = parameter.grad ?? throw new Xunit.Sdk.XunitException($"{name} received no gradient.");
            Compare(name, parameter, analytic.clone(), () => Weighted(forward(), weights));
        }
    }

    private static Tensor OutputWeights(Tensor output)
    {
        var values = new double[output.numel()];
        var random = new RandomSource(17);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextDouble() * 2) - 1;
        }

        return torch.tensor(values, output.shape, torch.float64);
    }

    private static double Weighted(Tensor output, Tensor weights) => (output * weights).sum().item<double>();

    /// <summary>Central differences of <paramref name="objective"/> over every element of <paramref name="point"/>,
    /// which is nudged in place and restored.</summary>
    private static void Compare(string what, Tensor point, Tensor analytic, Func<double> objective)
    {
        var flat = point.view(-1);
        var expected = analytic.reshape(-1);
        for (long i = 0; i < flat.numel(); i++)
        {
            double plus, minus;
            using (torch.no_grad())
            {
                flat[i].add_(Epsilon);
                plus = objective();
                flat[i].sub_(2 * Epsilon);
                minus = objective();
                flat[i].add_(Epsilon);
            }

            var numeric = (plus - minus) / (2 * Epsilon);
            var autograd = expected[i].item<double>();
            if (Math.Abs(numeric - autograd) > Tolerance * Math.Max(1, Math.Abs(numeric)))
            {
                throw new Xunit.Sdk.XunitException($"Gradient mismatch for {what}[{i}]: finite difference {numeric:G8}, autograd {autograd:G8}.");
            }
        }
    }
}
