using AnomalyDetection.Tensors;

namespace AnomalyDetection.Sagan.Tests.Helpers;

/// <summary>Element-wise comparison whose failure message names the worst element.</summary>
public static class Close
{
    public static void Equal(Tensor expected, Tensor actual, double absolute, double relative = 0, string? what = null)
    {
        Assert.Equal(expected.ShapeArray(), actual.ShapeArray());
        var e = expected.Span;
        var a = actual.Span;
        int worst = -1;
        double worstExcess = 0, worstError = 0;
        for (var i = 0; i < e.Length; i++)
        {
            var error = Math.Abs((double)e[i] - a[i]);
            var excess = error - (absolute + (relative * Math.Abs(e[i])));
            if (!(excess <= worstExcess))
            {
                (worst, worstExcess, worstError) = (i, double.IsNaN(excess) ? double.PositiveInfinity : excess, error);
            }
        }

        if (worst >= 0)
        {
            throw new Xunit.Sdk.XunitException($"{what ?? "Tensor"} element {worst}: expected {e[worst]:G9}, got {a[worst]:G9} (error {worstError:G3}).");
        }
    }
}
