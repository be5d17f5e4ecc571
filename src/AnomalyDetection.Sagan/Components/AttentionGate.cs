using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// The additive attention gate of Attention U-Net (Oktay et al. 2018) with instance norms, as SAGAN places it on its
/// skip connections: ψ = σ(IN(Conv1×1(ReLU(IN(Conv1×1(gate)) + IN(Conv1×1(skip)))))) is one weight per pixel, and
/// the output is skip · ψ broadcast over channels. It is not self-attention: there is no softmax over positions.
/// </summary>
/// <remarks>The instance norms are plain (no affine, no running statistics); the 1×1 convolutions have biases.
/// Parameters: <c>gate.0.*</c>, <c>skip.0.*</c>, <c>psi.0.*</c>.</remarks>
public sealed class AttentionGate : Module
{
    private readonly Sequential _gate;
    private readonly Sequential _skip;
    private readonly Sequential _psi;

    /// <summary>Creates the gate.</summary>
    /// <param name="gateChannels">Channels of the gating signal (the deeper feature map).</param>
    /// <param name="skipChannels">Channels of the skip connection being gated.</param>
    /// <param name="innerChannels">Channels of the intermediate map; SAGAN uses half the skip channels.</param>
    /// <param name="random">Initialises the convolutions; defaults to the current <see cref="Init.UseRandom"/> scope's.</param>
    public AttentionGate(int gateChannels, int skipChannels, int innerChannels, RandomSource? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(skipChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(innerChannels);
        GateChannels = gateChannels;
        SkipChannels = skipChannels;
        InnerChannels = innerChannels;
        _gate = RegisterModule("gate", new Sequential(new Conv2d(gateChannels, innerChannels, 1, random: random), new InstanceNorm2d(innerChannels)));
        _skip = RegisterModule("skip", new Sequential(new Conv2d(skipChannels, innerChannels, 1, random: random), new InstanceNorm2d(innerChannels)));
        _psi = RegisterModule("psi", new Sequential(new Conv2d(innerChannels, 1, 1, random: random), new InstanceNorm2d(1), new Sigmoid()));
    }

    /// <summary>Channels of the gating signal.</summary>
    public int GateChannels { get; }

    /// <summary>Channels of the skip connection.</summary>
    public int SkipChannels { get; }

    /// <summary>Channels of the intermediate map.</summary>
    public int InnerChannels { get; }

    /// <summary>The attention map ψ, one weight in (0, 1) per pixel.</summary>
    /// <param name="gate">The gating signal, of shape (N, gateChannels, H, W).</param>
    /// <param name="skip">The skip features, of shape (N, skipChannels, H, W).</param>
    /// <returns>ψ of shape (N, 1, H, W).</returns>
    /// <exception cref="ArgumentException">The two inputs differ in batch size or spatial size.</exception>
    public Tensor Attention(Tensor gate, Tensor skip)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(skip);
        if (gate.Rank != 4 || skip.Rank != 4 || gate.Size(0) != skip.Size(0) || gate.Size(2) != skip.Size(2) || gate.Size(3) != skip.Size(3))
        {
            throw new ArgumentException(
                $"AttentionGate expects a gate and skip of equal batch and spatial size (N, C, H, W), but got {ComponentInputGuard.Format(gate.Shape)} and {ComponentInputGuard.Format(skip.Shape)}.", nameof(gate));
        }

        return _psi.Forward((_gate.Forward(gate) + _skip.Forward(skip)).Relu());
    }

    /// <summary>Gates the skip features.</summary>
    /// <param name="gate">The gating signal, of shape (N, gateChannels, H, W).</param>
    /// <param name="skip">The skip features, of shape (N, skipChannels, H, W).</param>
    /// <returns>skip · ψ, of the skip's shape.</returns>
    /// <exception cref="ArgumentException">The two inputs differ in batch size or spatial size.</exception>
    public Tensor Forward(Tensor gate, Tensor skip) => skip * Attention(gate, skip);
}
