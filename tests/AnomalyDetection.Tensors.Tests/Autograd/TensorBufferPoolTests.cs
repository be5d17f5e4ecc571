using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;
using AnomalyDetection.Tensors.Tests.Helpers;

namespace AnomalyDetection.Tensors.Tests.Autograd;

/// <summary>
/// The backward engine recycles dead gradient storage through <see cref="TensorBufferPool"/>. Recycling must be
/// invisible: a recycled array is never reachable from two places, so results are bit-identical with it on and off.
/// Activations here are 4·8·32·32 = 32K floats, above the pool's minimum, so that recycling really happens.
/// </summary>
public class TensorBufferPoolTests
{
    /// <summary>
    /// Residual additions (a gradient handed to two consumers), a concatenation, reshapes (gradients that are views
    /// of other gradients), a tensor used twice in the loss, pooling, batch and instance norm.
    /// </summary>
    private sealed class BranchyNet : Module<Tensor, Tensor>
    {
        private readonly Conv2d _stem;
        private readonly BatchNorm2d _batchNorm;
        private readonly Conv2d _branch;
        private readonly InstanceNorm2d _instanceNorm;
        private readonly Conv2d _merge;
        private readonly ConvTranspose2d _up;

        public BranchyNet(RandomSource random)
        {
            _stem = RegisterModule("stem", new Conv2d(1, 8, 3, padding: 1, random: random));
            _batchNorm = RegisterModule("bn", new BatchNorm2d(8));
            _branch = RegisterModule("branch", new Conv2d(8, 8, 3, padding: 1, hasBias: false, random: random));
            _instanceNorm = RegisterModule("in", new InstanceNorm2d(8, affine: true));
            _merge = RegisterModule("merge", new Conv2d(16, 8, 1, random: random));
            _up = RegisterModule("up", new ConvTranspose2d(8, 1, 2, stride: 2, random: random));
        }

        public override Tensor Forward(Tensor input)
        {
            var x = _batchNorm.Forward(_stem.Forward(input)).LeakyRelu(0.2f);
            var residual = x + _instanceNorm.Forward(_branch.Forward(x)).Relu();
            var flat = residual.Reshape(residual.Size(0), -1);
            var joined = Tensor.Concat([flat.Reshape(residual.ShapeArray()), x * x], 1);
            var merged = _merge.Forward(joined);
            return _up.Forward(Functional.MaxPool2d(merged + residual, 2)).Tanh();
        }
    }

    [Fact]
    public void Training_PoolingOnAndOff_GivesBitIdenticalLossesAndWeights()
    {
        var (lossesOn, weightsOn, reused) = Train(pooling: true);
        var (lossesOff, weightsOff, reusedOff) = Train(pooling: false);

        Assert.True(reused > 0, "the pool never handed an array back, so this test compared nothing");
        Assert.Equal(0, reusedOff);
        Assert.Equal(lossesOff, lossesOn);
        Assert.Equal(weightsOff.Count, weightsOn.Count);
        for (var i = 0; i < weightsOn.Count; i++)
        {
            Assert.Equal(weightsOff[i], weightsOn[i]);
        }
    }

    [Fact]
    public void Backward_TensorsHeldAcrossLaterSteps_KeepTheirValues()
    {
        var random = new RandomSource(4);
        var net = new BranchyNet(random);
        var input = Tensor.Normal(random, 0f, 1f, 4, 1, 32, 32).WithRequiresGrad();
        var output = net.Forward(input);
        var hidden = output.Detach();
        Functional.MseLoss(output, input).Backward();
        var held = new[] { output, hidden, input.Grad!, net.Parameters().First().Grad! };
        var snapshots = held.Select(t => t.ToArray()).ToArray();

        var reusedBefore = TensorBufferPool.ReusedOnThisThread;
        for (var step = 0; step < 3; step++)
        {
            input.Grad = null;
            net.ZeroGrad();
            Functional.MseLoss(net.Forward(input), input).Backward();
        }

        Assert.True(TensorBufferPool.ReusedOnThisThread > reusedBefore, "the later steps reused no array, so this test checked nothing");
        for (var i = 0; i < held.Length; i++)
        {
            Assert.Equal(snapshots[i], held[i].ToArray());
        }
    }

    [Fact]
    public void Backward_GradientSharedByViewsAndTwoConsumers_MatchesHandComputedValue()
    {
        // y = sum(r·r) + sum(r) with r = reshape(x + x): dy/dx = 2·(2·(2x)) + 2 = 8x + 2, through an addition that
        // hands one gradient to both operands and reshapes whose gradients share storage with it.
        var random = new RandomSource(5);
        var x = Tensor.Normal(random, 0f, 1f, 4, 8, 32, 32).WithRequiresGrad();
        for (var pass = 0; pass < 3; pass++)
        {
            x.Grad = null;
            var r = (x + x).Reshape(4, -1);
            ((r * r).Sum() + r.Sum()).Backward();
            TensorAssert.Close(x.Detach() * 8f + 2f, x.Grad!, absolute: 1e-5, relative: 1e-6);
        }
    }

    [Fact]
    public void Backward_RetainedGraph_RecyclesNothingAndRunsTwice()
    {
        var random = new RandomSource(6);
        var x = Tensor.Normal(random, 0f, 1f, 4, 8, 32, 32).WithRequiresGrad();
        var y = ((x * 3f) + x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        TensorAssert.Close(Tensor.Full(8f, 4, 8, 32, 32), x.Grad!, absolute: 0, relative: 0);
    }

    private static (float[] Losses, List<float[]> Weights, long Reused) Train(bool pooling)
    {
        var previous = TensorBufferPool.IsEnabled;
        TensorBufferPool.IsEnabled = pooling;
        try
        {
            var reusedBefore = TensorBufferPool.ReusedOnThisThread;
            var random = new RandomSource(3);
            var net = new BranchyNet(random);
            var optimizer = new Adam(net.Parameters(), learningRate: 1e-2, beta1: 0.5);
            var losses = new float[6];
            for (var step = 0; step < losses.Length; step++)
            {
                var target = Tensor.Uniform(random, -1f, 1f, 4, 1, 32, 32);
                var input = target + Tensor.Normal(random, 0f, 0.3f, target.ShapeArray());
                optimizer.ZeroGrad();
                var loss = Functional.L1Loss(net.Forward(input), target);
                loss.Backward();
                optimizer.Step();
                losses[step] = loss.ToScalar();
            }

            return (losses, net.Parameters().Select(p => p.ToArray()).ToList(), TensorBufferPool.ReusedOnThisThread - reusedBefore);
        }
        finally
        {
            TensorBufferPool.IsEnabled = previous;
        }
    }
}
