using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Ops;

public class ComparisonTests
{
    private static Tensor A() => Tensor.FromArray([0.5f, -1.2f, 2f, -0.3f, 0.8f, -2.5f], 2, 3).WithRequiresGrad();

    private static Tensor B() => Tensor.FromArray([0.1f, -0.4f, 1.5f], 3).WithRequiresGrad();

    private static Tensor W() => Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);

    // a = torch.tensor([[0.5, -1.2, 2.0], [-0.3, 0.8, -2.5]], requires_grad=True); b = torch.tensor([0.1, -0.4, 1.5], requires_grad=True)
    // w = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]); y = torch.maximum(a, b); ga, gb = torch.autograd.grad((y * w).sum(), [a, b])
    [Fact]
    public void Maximum_Broadcast_MatchesPyTorch()
    {
        var (a, b) = (A(), B());
        var y = a.Maximum(b);
        (y * W()).Sum().Backward();
        TensorAssert.Close([0.5f, -0.400000006f, 2f, 0.100000001f, 0.800000012f, 1.5f], y.Span);
        Assert.Equal([1f, 0f, 3f, 0f, 5f, 0f], a.Grad!.ToArray());
        Assert.Equal([4f, 2f, 6f], b.Grad!.ToArray());
    }

    // y = torch.minimum(a, b); ga, gb = torch.autograd.grad((y * w).sum(), [a, b])
    [Fact]
    public void Minimum_Broadcast_MatchesPyTorch()
    {
        var (a, b) = (A(), B());
        var y = a.Minimum(b);
        (y * W()).Sum().Backward();
        TensorAssert.Close([0.100000001f, -1.20000005f, 1.5f, -0.300000012f, -0.400000006f, -2.5f], y.Span);
        Assert.Equal([0f, 2f, 0f, 4f, 0f, 6f], a.Grad!.ToArray());
        Assert.Equal([1f, 5f, 3f], b.Grad!.ToArray());
    }

    [Fact]
    public void MaximumAndMinimum_Ties_GoToThisOperand()
    {
        var a = Tensor.FromArray([1f, 2f], 2).WithRequiresGrad();
        var b = Tensor.FromArray([1f, 2f], 2).WithRequiresGrad();
        (a.Maximum(b).Sum() + a.Minimum(b).Sum()).Backward();
        Assert.Equal([2f, 2f], a.Grad!.ToArray());
        Assert.Equal([0f, 0f], b.Grad!.ToArray());
    }

    // c = torch.tensor([[1.0], [0.0]]); y = torch.where(c != 0, a, b); ga, gb = torch.autograd.grad((y * w).sum(), [a, b])
    [Fact]
    public void Where_ThreeWayBroadcast_MatchesPyTorch()
    {
        var (a, b) = (A(), B());
        var condition = Tensor.FromArray([1f, 0f], 2, 1);
        var y = Tensor.Where(condition, a, b);
        (y * W()).Sum().Backward();
        TensorAssert.Close([0.5f, -1.20000005f, 2f, 0.100000001f, -0.400000006f, 1.5f], y.Span);
        Assert.Equal([1f, 2f, 3f, 0f, 0f, 0f], a.Grad!.ToArray());
        Assert.Equal([4f, 5f, 6f], b.Grad!.ToArray());
    }

    [Fact]
    public void Where_OutputShapeComesFromAllThreeOperands()
    {
        var condition = Tensor.FromArray([1f, 0f, 2f], 3, 1, 1);
        var y = Tensor.Where(condition, Tensor.Full(7f, 1, 2), Tensor.Full(-1f, 4, 1));
        Assert.Equal([3, 4, 2], y.ShapeArray());
        Assert.All(y.ToArray()[..8], v => Assert.Equal(7f, v));
        Assert.All(y.ToArray()[8..16], v => Assert.Equal(-1f, v));
        Assert.All(y.ToArray()[16..], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void GreaterThan_GivesMaskWithoutGraph()
    {
        var x = Tensor.FromArray([-1f, 0.5f, 0.5001f, float.NaN, 3f], 5).WithRequiresGrad();
        var mask = x.GreaterThan(0.5f);
        Assert.Equal([0f, 0f, 1f, 0f, 1f], mask.ToArray());
        Assert.False(mask.RequiresGrad);
    }

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 3 })]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 })]
    public void FirstAndSecondOrder_GradientsMatchFiniteDifferences(int[] shapeA, int[] shapeB)
    {
        var a = TensorAssert.Random(31, shapeA);

        // Keep the operands apart so that no finite-difference step flips which one is larger.
        var b = TensorAssert.Random(32, shapeB).Multiply(0.05f).Add(0.5f);
        var condition = TensorAssert.Random(33, shapeB).GreaterThan(0f);
        var aApart = Tensor.Where(a.GreaterThan(0.5f), a + 0.3f, a - 0.3f);
        GradCheck.First(t => t[0].Maximum(t[1]), [aApart, b], epsilon: 1e-3);
        GradCheck.First(t => t[0].Minimum(t[1]), [aApart, b], epsilon: 1e-3);
        GradCheck.First(t => Tensor.Where(condition, t[0], t[1]), [a, b]);
        GradCheck.Second(t => t[0].Maximum(t[1]).Square(), [aApart, b], epsilon: 1e-3);
        GradCheck.Second(t => Tensor.Where(condition, t[0], t[1]).Square(), [a, b]);
    }

    [Fact]
    public void IncompatibleShapes_ThrowWithShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones(2), Tensor.Ones(3), Tensor.Ones(1)));
        Assert.Contains("[2]", ex.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Ones(2, 3).Maximum(Tensor.Ones(2)));
    }
}
