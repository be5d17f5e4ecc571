using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Optim;

/// <summary>Gradient clipping, PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>: rescales or clamps the
/// gradients of parameters in place, between <c>Backward</c> and <c>Step</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by one factor so that their global norm (the norm of all gradient elements together) is
    /// at most <paramref name="maxNorm"/>; gradients are left unchanged when it already is.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients to clip; those without a gradient are skipped.</param>
    /// <param name="maxNorm">The largest allowed norm.</param>
    /// <param name="normType">1, 2 or <see cref="double.PositiveInfinity"/> (the largest magnitude).</param>
    /// <returns>The global norm before clipping (which may be infinite or NaN when a gradient is).</returns>
    public static double ClipNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must not be negative.");
        }

        if (normType is not (1 or 2) && !double.IsPositiveInfinity(normType))
        {
            throw new ArgumentOutOfRangeException(nameof(normType), normType, "The norm type must be 1, 2 or positive infinity.");
        }

        var gradients = Gradients(parameters);
        double total = 0;
        foreach (var g in gradients)
        {
            ReadOnlySpan<float> span = g.Data;
            if (span.Length == 0)
            {
                continue;
            }

            total = normType switch
            {
                1 => total + TensorPrimitives.SumOfMagnitudes(span),
                2 => total + TensorPrimitives.SumOfSquares(span),
                _ => Math.Max(total, Math.Abs(TensorPrimitives.MaxMagnitude(span))),
            };
        }

        var norm = normType == 2 ? Math.Sqrt(total) : total;

        // PyTorch's coefficient, with its small guard against division by zero.
        var coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            var scale = (float)coefficient;
            foreach (var g in gradients)
            {
                TensorPrimitives.Multiply(g.Data, scale, g.Data);
            }
        }

        return norm;
    }

    /// <summary>Clamps every gradient element to [−<paramref name="clipValue"/>, <paramref name="clipValue"/>] (Keras' <c>clipvalue</c>).</summary>
    /// <param name="parameters">The parameters whose gradients to clip; those without a gradient are skipped.</param>
    /// <param name="clipValue">The largest allowed magnitude.</param>
    public static void ClipValue(IEnumerable<Tensor> parameters, float clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "clipValue must not be negative.");
        }

        foreach (var g in Gradients(parameters))
        {
            TensorPrimitives.Clamp(g.Data, -clipValue, clipValue, g.Data);
        }
    }

    private static List<Tensor> Gradients(IEnumerable<Tensor> parameters)
    {
        var gradients = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var parameter in parameters)
        {
            ArgumentNullException.ThrowIfNull(parameter, nameof(parameters));

            // A gradient shared by two parameters would otherwise be scaled twice.
            if (parameter.Grad is { } g && seen.Add(g))
            {
                gradients.Add(g);
            }
        }

        return gradients;
    }
}
