using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>
/// Self-attention over the positions of a feature map, as in the Self-Attention GAN (Zhang et al. 2019): every
/// position gathers the values of all positions, weighted by a softmax of query–key products, and the result is added
/// back through a learned gate γ that starts at 0, so the block begins as the identity.
/// </summary>
/// <remarks>
/// Queries and keys are 1×1 convolutions to max(1, C / <c>reduction</c>) channels and values a 1×1 convolution to C
/// channels; y = γ · V·softmax(QᵀK)ᵀ + x. Attention costs (H·W)² per image, so place it where the map is small.
/// Parameters: <c>query.*</c>, <c>key.*</c>, <c>value.*</c> and <c>gamma</c>.
/// </remarks>
public sealed class SelfAttention2d : torch.nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Conv2d _query;

    [ComponentName(Name = "key")]
    private readonly Conv2d _key;

    [ComponentName(Name = "value")]
    private readonly Conv2d _value;

    // Moving the module replaces this field's parameter; read it through the field, never a cached copy.
    [ComponentName(Name = "gamma")]
    private readonly Parameter _gamma;

    /// <summary>Creates the block and initialises its projections as PyTorch does by default; γ starts at 0.</summary>
    /// <param name="channels">The number of channels C of the feature map.</param>
    /// <param name="random">The initialisation source.</param>
    /// <param name="reduction">The factor by which queries and keys are narrower than C; SAGAN uses 8.</param>
    public SelfAttention2d(int channels, RandomSource random, int reduction = 8)
        : base(nameof(SelfAttention2d))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(reduction);
        ArgumentNullException.ThrowIfNull(random);
        Channels = channels;
        KeyChannels = Math.Max(1, channels / reduction);
        _query = torch.nn.Conv2d(channels, KeyChannels, 1, device: LayerDevice.Current);
        _key = torch.nn.Conv2d(channels, KeyChannels, 1, device: LayerDevice.Current);
        _value = torch.nn.Conv2d(channels, channels, 1, device: LayerDevice.Current);
        _gamma = torch.nn.Parameter(torch.zeros(1));
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>The number of channels C.</summary>
    public int Channels { get; }

    /// <summary>The width of queries and keys.</summary>
    public int KeyChannels { get; }

    /// <summary>The gate γ (shape [1]) that scales the attended values before they are added to the input.</summary>
    public Parameter Gamma => _gamma;

    /// <summary>Applies the attention.</summary>
    /// <param name="input">Features of shape (N, C, H, W).</param>
    /// <returns>Features of the input's shape.</returns>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, Channels, string.Create(CultureInfo.InvariantCulture, $"SelfAttention2d({Channels})"));
        long n = input.shape[0], positions = input.shape[2] * input.shape[3];
        using var scope = torch.NewDisposeScope();
        var query = _query.forward(input).reshape(n, KeyChannels, positions).transpose(1, 2);
        var key = _key.forward(input).reshape(n, KeyChannels, positions);
        var attention = torch.nn.functional.softmax(torch.bmm(query, key), 2);
        var value = _value.forward(input).reshape(n, Channels, positions);
        var attended = torch.bmm(value, attention.transpose(1, 2)).reshape(input.shape);
        return (attended * _gamma).Plus(input).MoveToOuterDisposeScope();
    }
}
