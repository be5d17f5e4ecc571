using System.Globalization;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Self-attention over the positions of a feature map, as in the Self-Attention GAN (Zhang et al. 2019): every
/// position gathers the values of all positions, weighted by a softmax of query–key products, and the result is added
/// back through a learned gate γ that starts at 0, so the block begins as the identity.
/// </summary>
/// <remarks>
/// Queries and keys are 1×1 convolutions to max(1, C / <c>reduction</c>) channels and values a 1×1 convolution to C
/// channels; y = γ · V·softmax(QᵀK)ᵀ + x. Attention costs (H·W)² per image, so place it where the map is small.
/// </remarks>
public sealed class SelfAttention2d : Module<Tensor, Tensor>
{
    private readonly Conv2d _query;
    private readonly Conv2d _key;
    private readonly Conv2d _value;

    /// <summary>Creates the block and initialises its projections.</summary>
    /// <param name="channels">The number of channels C of the feature map.</param>
    /// <param name="reduction">The factor by which queries and keys are narrower than C; SAGAN uses 8.</param>
    /// <param name="random">The initialisation source; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public SelfAttention2d(int channels, int reduction = 8, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reduction);
        Channels = channels;
        KeyChannels = Math.Max(1, channels / reduction);
        _query = RegisterModule("query", new Conv2d(channels, KeyChannels, 1, random: random));
        _key = RegisterModule("key", new Conv2d(channels, KeyChannels, 1, random: random));
        _value = RegisterModule("value", new Conv2d(channels, channels, 1, random: random));
        Gamma = RegisterParameter("gamma", Tensor.Zeros(1));
    }

    /// <summary>The number of channels C.</summary>
    public int Channels { get; }

    /// <summary>The width of queries and keys.</summary>
    public int KeyChannels { get; }

    /// <summary>The gate γ (shape [1]) that scales the attended values before they are added to the input.</summary>
    public Tensor Gamma { get; }

    /// <summary>Applies the attention.</summary>
    /// <param name="input">Features of shape (N, C, H, W).</param>
    /// <returns>Features of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, Channels, string.Create(CultureInfo.InvariantCulture, $"SelfAttention2d({Channels})"));
        int n = input.Size(0), positions = input.Size(2) * input.Size(3);
        var query = _query.Forward(input).Reshape(n, KeyChannels, positions).Transpose(1, 2);
        var key = _key.Forward(input).Reshape(n, KeyChannels, positions);
        var attention = Functional.Softmax(Functional.MatMul(query, key), 2);
        var value = _value.Forward(input).Reshape(n, Channels, positions);
        var attended = Functional.MatMul(value, attention.Transpose(1, 2)).Reshape(input.ShapeArray());
        return (attended * Gamma) + input;
    }
}
