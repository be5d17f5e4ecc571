using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// Tensor arithmetic with a number that keeps the number's native <see cref="Scalar"/> alive until LibTorch is done
/// with it. TorchSharp turns a number into a <see cref="Scalar"/> whose finalizer frees the native value, and its
/// operators (<c>a + b</c> passes α = 1, <c>x * 0.5</c>, <c>x.square()</c>, <c>nn.LeakyReLU</c>…) pass that object's
/// handle on without keeping the object reachable: a garbage collection during the native call may free the value
/// while LibTorch reads it, which fails at random ("Expected false to be true" in <c>Scalar::toFloat</c>) and the more
/// often the more threads allocate. Library code uses these methods instead; a reliability test scans the assemblies
/// for calls that create such a temporary.
/// </summary>
public static class HeldScalars
{
    // A static Scalar is reachable for the life of the process, so it is never finalized.
    internal static readonly Scalar One = 1.ToScalar();

    /// <summary><paramref name="left"/> + <paramref name="right"/>, element-wise with broadcasting.</summary>
    /// <param name="left">The first term.</param>
    /// <param name="right">The second term.</param>
    /// <returns>The sum.</returns>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><paramref name="tensor"/> + <paramref name="value"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The number added to every element.</param>
    /// <returns>The sum.</returns>
    public static Tensor Plus(this Tensor tensor, double value)
    {
        using var held = value.ToScalar();
        return tensor.add(held, One);
    }

    /// <summary><paramref name="tensor"/> − <paramref name="value"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The number subtracted from every element.</param>
    /// <returns>The difference.</returns>
    public static Tensor Minus(this Tensor tensor, double value)
    {
        using var held = value.ToScalar();
        return tensor.sub(held);
    }

    /// <summary><paramref name="value"/> − <paramref name="tensor"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="value">The number every element is subtracted from.</param>
    /// <returns>The difference.</returns>
    public static Tensor SubtractedFrom(this Tensor tensor, double value)
    {
        using var held = value.ToScalar();
        return tensor.neg().add_(held, One);
    }

    /// <summary><paramref name="tensor"/> · <paramref name="factor"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="factor">The number every element is multiplied by.</param>
    /// <returns>The product.</returns>
    public static Tensor Times(this Tensor tensor, double factor)
    {
        using var held = factor.ToScalar();
        return tensor.mul(held);
    }

    /// <summary><paramref name="tensor"/> / <paramref name="divisor"/>.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <param name="divisor">The number every element is divided by.</param>
    /// <returns>The quotient.</returns>
    public static Tensor DividedBy(this Tensor tensor, double divisor)
    {
        using var held = divisor.ToScalar();
        return tensor.div(held);
    }

    /// <summary><paramref name="tensor"/>², element-wise, computed as x · x, which is what LibTorch's square does.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The squares.</returns>
    public static Tensor Squared(this Tensor tensor) => tensor.mul(tensor);

    /// <summary>Runs <paramref name="operation"/> with <paramref name="value"/> as a <see cref="Scalar"/> that stays alive
    /// until it returns, for the operations the other methods do not cover.</summary>
    /// <param name="value">The number.</param>
    /// <param name="operation">The operation; it must not keep the scalar.</param>
    /// <returns>The operation's result.</returns>
    public static Tensor With(double value, Func<Scalar, Tensor> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        using var held = value.ToScalar();
        return operation(held);
    }
}
