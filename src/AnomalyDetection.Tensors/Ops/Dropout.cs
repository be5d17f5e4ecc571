using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1−p) in training; identity otherwise.</summary>
    /// <param name="input">The input.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="training">Whether to drop.</param>
    /// <param name="random">The seeded source of the mask.</param>
    /// <returns>The input itself when nothing is dropped (evaluation, or <paramref name="p"/> = 0); otherwise a new tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1).</exception>
    public static Tensor Dropout(Tensor input, float p, bool training, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(random);
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout probability must be in [0, 1), but got {p}.");
        }

        if (!training || p == 0f)
        {
            return input;
        }

        // The mask is a constant, so the product's backward (g · mask) is the dropout gradient at every order.
        return input * new Tensor(DropoutKernels.KeepMask(random, input.Count, p), input.ShapeArray());
    }
}
