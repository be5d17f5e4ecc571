using System.Numerics.Tensors;
using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        var result = Elementwise.Map(this, default(ReluOperator));
        return ShouldRecord(this) ? result.Record(new LeakyReluBackward(this, 0f)) : result;
    }

    /// <summary>x for x &gt; 0, slope·x otherwise (PyTorch's default slope is 0.01).</summary>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    /// <exception cref="ArgumentException">The slope is not finite.</exception>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentException($"LeakyRelu needs a finite negative slope, but got {negativeSlope}.", nameof(negativeSlope));
        }

        var result = Elementwise.Map(this, new LeakyReluOperator(negativeSlope));
        return ShouldRecord(this) ? result.Record(new LeakyReluBackward(this, negativeSlope)) : result;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Tanh);
        return ShouldRecord(this) ? result.Record(new TanhBackward(this, result)) : result;
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^−x).</summary>
    public Tensor Sigmoid()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Sigmoid);
        return ShouldRecord(this) ? result.Record(new SigmoidBackward(this, result)) : result;
    }

    /// <summary>GELU with the exact (erf) form, PyTorch's default.</summary>
    public Tensor Gelu()
    {
        var result = Elementwise.Map(this, default(GeluOperator));
        return ShouldRecord(this) ? result.Record(new GeluBackward(this)) : result;
    }

    /// <summary>The backward of ReLU (slope 0) and leaky ReLU.</summary>
    private sealed class LeakyReluBackward(Tensor x, float slope) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var x = Input(0);
            if (GradMode.IsEnabled)
            {
                // Create-graph backward (gradient penalty): the slope is piecewise constant, so multiplying by a
                // constant slope tensor keeps the result differentiable in g.
                return [g * Elementwise.Map(x, new LeakyReluSlopeOperator(slope))];
            }

            return [slope == 0f ? Elementwise.Map(x, g, default(ReluGradientOperator)) : Elementwise.Map(x, g, new LeakyReluGradientOperator(slope))];
        }
    }

    private sealed class TanhBackward(Tensor x, Tensor y) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [GradMode.IsEnabled ? g * (1f - (Output * Output)) : Elementwise.Map(Output, g, ActivationKernels.TanhGradient)];
    }

    private sealed class SigmoidBackward(Tensor x, Tensor y) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [GradMode.IsEnabled ? g * (Output * (1f - Output)) : Elementwise.Map(Output, g, ActivationKernels.SigmoidGradient)];
    }

    private sealed class GeluBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            RequireFirstOrder();
            return [Elementwise.Map(Input(0), g, default(GeluGradientOperator))];
        }
    }
}
