using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>Finite-difference checks of the gradients a module's parameters receive.</summary>
internal static class ParameterGradCheck
{
    /// <summary>Compares every parameter's autograd gradient of Σ r·f() (r fixed random weights) with central differences.</summary>
    public static void Check(Module module, Func<Tensor> forward, double epsilon = 1e-2, double tolerance = 2e-2)
    {
        Tensor output;
        using (GradMode.NoGrad())
        {
            output = forward();
        }

        var weights = Tensor.Uniform(new RandomSource(17), -1f, 1f, output.ShapeArray());
        module.ZeroGrad();
        (forward() * weights).Sum().Backward();
        foreach (var (name, parameter) in module.NamedParameters())
        {
            var analytic = parameter.Grad?.ToArray() ?? new float[parameter.Count];
            var scale = 1.0;
            var numeric = new double[parameter.Count];
            for (var i = 0; i < parameter.Count; i++)
            {
                var original = parameter.Span[i];
                parameter.AsSpan()[i] = original + (float)epsilon;
                var plus = Weighted(forward, weights);
                parameter.AsSpan()[i] = original - (float)epsilon;
                var minus = Weighted(forward, weights);
                parameter.AsSpan()[i] = original;
                numeric[i] = (plus - minus) / (2 * epsilon);
                scale = Math.Max(scale, Math.Abs(numeric[i]));
            }

            for (var i = 0; i < parameter.Count; i++)
            {
                if (Math.Abs(numeric[i] - analytic[i]) > tolerance * scale)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"Gradient mismatch for {name}[{i}]: finite difference {numeric[i]:G6}, autograd {analytic[i]:G6} (tolerance {tolerance * scale:G3}).");
                }
            }
        }
    }

    private static double Weighted(Func<Tensor> forward, Tensor weights)
    {
        using (GradMode.NoGrad())
        {
            var output = forward();
            double total = 0;
            for (var i = 0; i < output.Count; i++)
            {
                total += (double)output.Span[i] * weights.Span[i];
            }

            return total;
        }
    }
}
