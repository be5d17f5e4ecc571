using AnomalyDetection.Tensors;

namespace AnomalyDetection.Tensors.Tests.Helpers;

/// <summary>
/// Finite-difference gradient checks. The function's output is reduced against fixed random weights in double
/// precision, so the numerical derivative is limited by float32 rounding of the output only.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks first derivatives of <paramref name="function"/> with respect to every input.</summary>
    public static void First(Func<Tensor[], Tensor> function, Tensor[] inputs, double epsilon = 1e-2, double tolerance = 2e-2, int seed = 1)
    {
        var weights = OutputWeights(function, inputs, seed);
        var leaves = inputs.Select(i => i.Clone().WithRequiresGrad()).ToArray();
        var output = function(leaves);
        (output * weights).Sum().Backward();
        for (var k = 0; k < inputs.Length; k++)
        {
            var analytic = leaves[k].Grad?.ToArray() ?? new float[inputs[k].Count];
            var numeric = Numeric(x => Weighted(function(x), weights), inputs, k, epsilon);
            AssertClose(numeric, analytic, tolerance, $"input {k}");
        }
    }

    /// <summary>
    /// Checks second derivatives: the gradient of <c>sum(v · ∂L/∂x)</c>, computed by a create-graph backward, against
    /// finite differences of the first-order gradient.
    /// </summary>
    public static void Second(Func<Tensor[], Tensor> function, Tensor[] inputs, double epsilon = 1e-2, double tolerance = 3e-2, int seed = 2)
    {
        var weights = OutputWeights(function, inputs, seed);
        var random = new RandomSource(seed + 100);
        var directions = inputs.Select(i => Tensor.Uniform(random, -1f, 1f, i.ShapeArray())).ToArray();

        double FirstOrderProjection(Tensor[] x)
        {
            using var recording = GradMode.EnableGrad();
            var leaves = x.Select(i => i.Clone().WithRequiresGrad()).ToArray();
            var grads = (function(leaves) * weights).Sum().GradientsWith(leaves);
            double total = 0;
            for (var k = 0; k < grads.Length; k++)
            {
                total += Dot(grads[k].Span, directions[k].Span);
            }

            return total;
        }

        var leavesCg = inputs.Select(i => i.Clone().WithRequiresGrad()).ToArray();
        var firstGrads = (function(leavesCg) * weights).Sum().GradientsWith(leavesCg, createGraph: true);
        Tensor projection = Tensor.Scalar(0f);
        for (var k = 0; k < firstGrads.Length; k++)
        {
            if (firstGrads[k].RequiresGrad)
            {
                projection = projection + (firstGrads[k] * directions[k]).Sum();
            }
        }

        if (!projection.RequiresGrad)
        {
            throw new Xunit.Sdk.XunitException("The create-graph gradient does not depend on the inputs; nothing to check.");
        }

        var second = projection.GradientsWith(leavesCg);
        for (var k = 0; k < inputs.Length; k++)
        {
            var numeric = Numeric(FirstOrderProjection, inputs, k, epsilon);
            AssertClose(numeric, second[k].ToArray(), tolerance, $"second derivative, input {k}");
        }
    }

    private static Tensor OutputWeights(Func<Tensor[], Tensor> function, Tensor[] inputs, int seed)
    {
        Tensor probe;
        using (GradMode.NoGrad())
        {
            probe = function(inputs.Select(i => i.Clone()).ToArray());
        }

        return Tensor.Uniform(new RandomSource(seed), -1f, 1f, probe.ShapeArray());
    }

    private static double Weighted(Tensor output, Tensor weights) => Dot(output.Span, weights.Span);

    private static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double total = 0;
        for (var i = 0; i < a.Length; i++)
        {
            total += (double)a[i] * b[i];
        }

        return total;
    }

    private static double[] Numeric(Func<Tensor[], double> scalar, Tensor[] inputs, int k, double epsilon)
    {
        var result = new double[inputs[k].Count];
        for (var i = 0; i < result.Length; i++)
        {
            var plus = inputs.Select(t => t.Clone()).ToArray();
            var minus = inputs.Select(t => t.Clone()).ToArray();
            plus[k].AsSpan()[i] += (float)epsilon;
            minus[k].AsSpan()[i] -= (float)epsilon;
            double fPlus, fMinus;
            using (GradMode.NoGrad())
            {
                fPlus = scalar(plus);
                fMinus = scalar(minus);
            }

            // The perturbation actually applied in float32 may differ slightly from epsilon.
            var step = (double)plus[k].Span[i] - minus[k].Span[i];
            result[i] = (fPlus - fMinus) / step;
        }

        return result;
    }

    private static void AssertClose(double[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(1.0, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]);
            if (error > tolerance * scale)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Gradient mismatch for {what} at element {i}: finite difference {expected[i]:G6}, autograd {actual[i]:G6} (tolerance {tolerance * scale:G3}).");
            }
        }
    }
}
