namespace AnomalyDetection.Tensors.NN;

/// <summary>
/// In training mode, zeroes each element with probability p and scales the rest by 1/(1−p); in evaluation mode,
/// the identity. PyTorch's <c>nn.Dropout</c>.
/// </summary>
public sealed class Dropout : Module<Tensor, Tensor>
{
    private readonly RandomSource _random;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The drop probability, in [0, 1).</param>
    /// <param name="random">The parent source; the layer forks its own mask source from it at construction, so masks
    /// are reproducible without sharing a source across layers. Defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public Dropout(float p = 0.5f, RandomSource? random = null)
    {
        if (!(p >= 0f && p < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must be in [0, 1).");
        }

        P = p;
        _random = Init.Resolve(random, nameof(Dropout)).Fork();
    }

    /// <summary>The drop probability.</summary>
    public float P { get; }

    /// <summary>Applies dropout in training mode.</summary>
    /// <param name="input">Input of any shape.</param>
    /// <returns>Output of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Functional.Dropout(input, P, IsTraining, _random);
    }
}
