namespace AnomalyDetection.Tensors;

public sealed partial class Tensor
{
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => throw Functional.Pending(nameof(Relu));

    /// <summary>x for x &gt; 0, slope·x otherwise (PyTorch's default slope is 0.01).</summary>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => throw Functional.Pending(nameof(LeakyRelu));

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => throw Functional.Pending(nameof(Tanh));

    /// <summary>Logistic sigmoid 1 / (1 + e^−x).</summary>
    public Tensor Sigmoid() => throw Functional.Pending(nameof(Sigmoid));

    /// <summary>GELU with the exact (erf) form, PyTorch's default.</summary>
    public Tensor Gelu() => throw Functional.Pending(nameof(Gelu));
}

public static partial class Functional
{
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension that sums to one.</param>
    public static Tensor Softmax(Tensor input, int dim) => throw Pending(nameof(Softmax));

    /// <summary>Log-softmax along <paramref name="dim"/>, computed stably.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension normalised over.</param>
    public static Tensor LogSoftmax(Tensor input, int dim) => throw Pending(nameof(LogSoftmax));

    /// <summary>Zeroes elements with probability <paramref name="p"/> and scales the rest by 1/(1−p) in training; identity otherwise.</summary>
    /// <param name="input">The input.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="training">Whether to drop.</param>
    /// <param name="random">The seeded source of the mask.</param>
    public static Tensor Dropout(Tensor input, float p, bool training, RandomSource random) => throw Pending(nameof(Dropout));
}
