using System.Numerics.Tensors;
using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>Element-wise absolute value (gradient 0 at 0, as in PyTorch).</summary>
    public Tensor Abs()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Abs);
        return ShouldRecord(this) ? result.Record(new AbsBackward(this)) : result;
    }

    /// <summary>Element-wise square root.</summary>
    public Tensor Sqrt()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Sqrt);
        return ShouldRecord(this) ? result.Record(new SqrtBackward(this, result)) : result;
    }

    /// <summary>Element-wise square.</summary>
    public Tensor Square()
    {
        var result = Elementwise.Map(this, UnaryKernels.Square);
        return ShouldRecord(this) ? result.Record(new SquareBackward(this)) : result;
    }

    /// <summary>Element-wise power with a constant exponent.</summary>
    /// <param name="exponent">The exponent.</param>
    /// <exception cref="ArgumentException">The exponent is NaN.</exception>
    public Tensor Pow(float exponent)
    {
        if (float.IsNaN(exponent))
        {
            throw new ArgumentException("Pow needs a numeric exponent, but got NaN.", nameof(exponent));
        }

        // The two exponents a gradient penalty uses get their exact, faster dedicated kernels.
        if (exponent == 2f)
        {
            return Square();
        }

        if (exponent == 0.5f)
        {
            return Sqrt();
        }

        var result = Elementwise.Map(this, (x, d) => TensorPrimitives.Pow(x, exponent, d));
        return ShouldRecord(this) ? result.Record(new PowBackward(this, exponent)) : result;
    }

    /// <summary>Element-wise natural exponential.</summary>
    public Tensor Exp()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Exp);
        return ShouldRecord(this) ? result.Record(new ExpBackward(this, result)) : result;
    }

    /// <summary>Element-wise natural logarithm.</summary>
    public Tensor Log()
    {
        var result = Elementwise.Map(this, TensorPrimitives.Log);
        return ShouldRecord(this) ? result.Record(new LogBackward(this)) : result;
    }

    /// <summary>Element-wise clamp to [<paramref name="min"/>, <paramref name="max"/>]; the gradient passes only inside the range.</summary>
    /// <param name="min">Lower bound.</param>
    /// <param name="max">Upper bound.</param>
    /// <exception cref="ArgumentException">A bound is NaN, or <paramref name="min"/> exceeds <paramref name="max"/>.</exception>
    public Tensor Clamp(float min, float max)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || min > max)
        {
            throw new ArgumentException($"Clamp needs min ≤ max, but got min = {min} and max = {max}.", nameof(min));
        }

        var result = Elementwise.Map(this, (x, d) => TensorPrimitives.Clamp(x, min, max, d));
        return ShouldRecord(this) ? result.Record(new ClampBackward(this, min, max)) : result;
    }

    private sealed class AbsBackward(Tensor x) : GradNode(x)
    {
        // The slope of |x| is a constant on each side of 0, so a create-graph backward multiplies by a constant sign.
        public override Tensor?[] Backward(Tensor g) =>
        [
            GradMode.IsEnabled
                ? g * Elementwise.Map(Input(0), default(SignOperator))
                : Elementwise.Map(Input(0), g, default(AbsGradientOperator)),
        ];
    }

    private sealed class SqrtBackward(Tensor x, Tensor y) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g) =>
            [GradMode.IsEnabled ? g / (Output * 2f) : Elementwise.Map(Output, g, UnaryKernels.SqrtGradient)];
    }

    private sealed class SquareBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var x = Input(0);
            return [GradMode.IsEnabled ? g * (x * 2f) : Elementwise.Map(x, g, UnaryKernels.SquareGradient)];
        }
    }

    private sealed class PowBackward(Tensor x, float exponent) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g)
        {
            var x = Input(0);
            if (exponent == 0f)
            {
                return [ZerosLike(x)];
            }

            return
            [
                GradMode.IsEnabled
                    ? g * (x.Pow(exponent - 1f) * exponent)
                    : Elementwise.Map(x, g, (xs, gs, d) => UnaryKernels.PowGradient(xs, gs, exponent, d)),
            ];
        }
    }

    private sealed class ExpBackward(Tensor x, Tensor y) : OutputSavingNode(x, y)
    {
        public override Tensor?[] Backward(Tensor g) => [g * Output];
    }

    private sealed class LogBackward(Tensor x) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g) => [g / Input(0)];
    }

    private sealed class ClampBackward(Tensor x, float min, float max) : GradNode(x)
    {
        public override Tensor?[] Backward(Tensor g) => [g * Elementwise.Map(Input(0), new InRangeOperator(min, max))];
    }
}
