using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Autograd;

public class BackwardEngineTests
{
    [Fact]
    public void Backward_SquareSum_GivesTwiceInput()
    {
        var x = Tensor.FromArray([1f, -2f, 3f], 3).WithRequiresGrad();
        (x * x).Sum().Backward();
        Assert.Equal([2f, -4f, 6f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_Twice_AccumulatesIntoLeaf()
    {
        var x = Tensor.FromArray([1f, 2f], 2).WithRequiresGrad();
        (x * 3f).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
    }

    [Fact]
    public void Backward_SharedSubexpression_SumsBothPaths()
    {
        var x = Tensor.FromArray([2f], 1).WithRequiresGrad();
        var y = x * x;      // 2x
        var z = y + y * x;  // x^2 + x^3 -> 2x + 3x^2 = 4 + 12
        z.Sum().Backward();
        Assert.Equal(16f, x.Grad!.ToScalar());
    }

    [Fact]
    public void Backward_DeepChain_DoesNotOverflowStack()
    {
        var x = Tensor.FromArray([1f], 1).WithRequiresGrad();
        var y = x;
        for (var i = 0; i < 100_000; i++)
        {
            y = y + 1e-6f;
        }

        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.ToScalar());
    }

    [Fact]
    public void Backward_SecondTimeWithoutRetain_ThrowsClearError()
    {
        var x = Tensor.FromArray([1f, 2f], 2).WithRequiresGrad();
        var loss = (x * x).Sum();
        loss.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("retainGraph", ex.Message);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.FromArray([1f, 2f], 2).WithRequiresGrad();
        Tensor y;
        using (GradMode.NoGrad())
        {
            y = x * x;
        }

        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void Detach_CutsGraph()
    {
        var x = Tensor.FromArray([3f], 1).WithRequiresGrad();
        var y = (x * x).Detach() * x; // d/dx = x^2 (detached) = 9
        y.Sum().Backward();
        Assert.Equal(9f, x.Grad!.ToScalar());
    }

    [Fact]
    public void GradientsWith_ReturnsWithoutTouchingLeafGrads()
    {
        var w = Tensor.FromArray([2f], 1).WithRequiresGrad();
        var x = Tensor.FromArray([5f], 1).WithRequiresGrad();
        var grads = (w * x * x).Sum().GradientsWith([x]);
        Assert.Equal(20f, grads[0].ToScalar());
        Assert.Null(w.Grad);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void CreateGraph_GradientPenaltyShape_DifferentiatesThroughGradient()
    {
        // f = w * x^3 ; df/dx = 3 w x^2 ; penalty = (df/dx)^2 = 9 w^2 x^4 ; d penalty / dw = 18 w x^4
        var w = Tensor.FromArray([0.5f], 1).WithRequiresGrad();
        var x = Tensor.FromArray([2f], 1).WithRequiresGrad();
        var f = (w * x * x * x).Sum();
        var gx = f.GradientsWith([x], createGraph: true)[0];
        Assert.True(gx.RequiresGrad);
        (gx * gx).Sum().Backward();
        Assert.Equal(18f * 0.5f * 16f, w.Grad!.ToScalar(), 4);
    }

    [Fact]
    public void TopologicalOrder_ListsConsumersBeforeProducers()
    {
        var x = TensorAssert.Random(1, 4).WithRequiresGrad();
        var a = x * 2f;
        var b = a + x;
        var c = b * a;
        var order = AnomalyDetection.Tensors.Autograd.BackwardEngine.TopologicalOrder(c.GradFn!);
        var position = order.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        foreach (var node in order)
        {
            foreach (var input in node.Inputs!)
            {
                if (input?.GradFn is { } producer)
                {
                    Assert.True(position[node] < position[producer]);
                }
            }
        }
    }
}
