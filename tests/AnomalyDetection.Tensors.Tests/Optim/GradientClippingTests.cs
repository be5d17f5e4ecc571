using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Tensors.Tests.Optim;

public class GradientClippingTests
{
    [Fact]
    public void ClipNorm_AboveMax_ScalesAllGradientsByOneFactorAndReturnsTheNorm()
    {
        // Global norm of [3, 4] and [12] is 13.
        var a = WithGradient([3f, 4f]);
        var b = WithGradient([12f]);
        var norm = GradientClipping.ClipNorm([a, b], 6.5);
        Assert.Equal(13.0, norm, 6);
        var scale = 6.5f / (13f + 1e-6f);
        Assert.Equal([3f * scale, 4f * scale], a.Grad!.ToArray());
        Assert.Equal([12f * scale], b.Grad!.ToArray());
    }

    [Fact]
    public void ClipNorm_BelowMax_LeavesGradientsUnchanged()
    {
        var a = WithGradient([3f, 4f]);
        Assert.Equal(5.0, GradientClipping.ClipNorm([a, Tensor.Zeros(2).WithRequiresGrad()], 10), 6);
        Assert.Equal([3f, 4f], a.Grad!.ToArray());
    }

    [Fact]
    public void ClipNorm_InfinityAndOneNorms_UseMaxMagnitudeAndSum()
    {
        Assert.Equal(7.0, GradientClipping.ClipNorm([WithGradient([3f, -7f]), WithGradient([2f])], 100, double.PositiveInfinity));
        Assert.Equal(12.0, GradientClipping.ClipNorm([WithGradient([3f, -7f]), WithGradient([2f])], 100, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipNorm([WithGradient([1f])], 1, 3));
    }

    [Fact]
    public void ClipValue_ClampsEveryElement()
    {
        var a = WithGradient([-3f, 0.5f, 2f]);
        GradientClipping.ClipValue([a], 1f);
        Assert.Equal([-1f, 0.5f, 1f], a.Grad!.ToArray());
    }

    private static Tensor WithGradient(float[] gradient)
    {
        var p = Tensor.Zeros(gradient.Length).WithRequiresGrad();
        p.Grad = Tensor.FromArray(gradient, gradient.Length);
        return p;
    }
}
