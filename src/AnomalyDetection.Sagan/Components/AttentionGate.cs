using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// The additive attention gate of Attention U-Net (Oktay et al. 2018) with instance norms, as SAGAN places it on its
/// skip connections: ψ = σ(IN(Conv1×1(ReLU(IN(Conv1×1(gate)) + IN(Conv1×1(skip)))))) is one weight per pixel, and
/// the output is skip · ψ broadcast over channels. It is not self-attention: there is no softmax over positions.
/// </summary>
/// <remarks>The instance norms are plain (no affine, no running statistics); the 1×1 convolutions have biases.
/// Parameters: <c>gate.0.*</c>, <c>skip.0.*</c>, <c>psi.0.*</c>.</remarks>
public sealed class AttentionGate : Module<Tensor, Tensor, Tensor>
{
    // Field names are the state dictionary's prefixes.
    private readonly Sequential gate;
    private readonly Sequential skip;
    private readonly Sequential psi;

    /// <summary>Creates the gate.</summary>
    /// <param name="gateChannels">Channels of the gating signal (the deeper feature map).</param>
    /// <param name="skipChannels">Channels of the skip connection being gated.</param>
    /// <param name="innerChannels">Channels of the intermediate map; SAGAN uses half the skip channels.</param>
    /// <param name="random">Initialises the convolutions as PyTorch does by default.</param>
    public AttentionGate(int gateChannels, int skipChannels, int innerChannels, RandomSource random)
        : base(nameof(AttentionGate))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gateChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(skipChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(innerChannels);
        ArgumentNullException.ThrowIfNull(random);
        GateChannels = gateChannels;
        SkipChannels = skipChannels;
        InnerChannels = innerChannels;
        gate = Sequential(Conv2d(gateChannels, innerChannels, 1, device: LayerDevice.Current), InstanceNorm2d(innerChannels, device: LayerDevice.Current));
        skip = Sequential(Conv2d(skipChannels, innerChannels, 1, device: LayerDevice.Current), InstanceNorm2d(innerChannels, device: LayerDevice.Current));
        psi = Sequential(Conv2d(innerChannels, 1, 1, device: LayerDevice.Current), InstanceNorm2d(1, device: LayerDevice.Current), Sigmoid());
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    /// <summary>Channels of the gating signal.</summary>
    public int GateChannels { get; }

    /// <summary>Channels of the skip connection.</summary>
    public int SkipChannels { get; }

    /// <summary>Channels of the intermediate map.</summary>
    public int InnerChannels { get; }

    /// <summary>The attention map ψ, one weight in (0, 1) per pixel.</summary>
    /// <param name="gating">The gating signal, of shape (N, gateChannels, H, W).</param>
    /// <param name="features">The skip features, of shape (N, skipChannels, H, W).</param>
    /// <returns>ψ of shape (N, 1, H, W).</returns>
    /// <exception cref="ArgumentException">The two inputs differ in batch size or spatial size.</exception>
    public Tensor Attention(Tensor gating, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(gating);
        ArgumentNullException.ThrowIfNull(features);
        if (gating.dim() != 4 || features.dim() != 4 || gating.shape[0] != features.shape[0] || gating.shape[2] != features.shape[2] || gating.shape[3] != features.shape[3])
        {
            throw new ArgumentException(
                $"AttentionGate expects a gate and skip of equal batch and spatial size (N, C, H, W), but got {ComponentInputGuard.Format(gating.shape)} and {ComponentInputGuard.Format(features.shape)}.", nameof(gating));
        }

        return psi.forward(functional.relu(gate.forward(gating).Plus(skip.forward(features))));
    }

    /// <summary>Gates the skip features.</summary>
    /// <param name="gating">The gating signal, of shape (N, gateChannels, H, W).</param>
    /// <param name="features">The skip features, of shape (N, skipChannels, H, W).</param>
    /// <returns>features · ψ, of the features' shape.</returns>
    /// <exception cref="ArgumentException">The two inputs differ in batch size or spatial size.</exception>
    public override Tensor forward(Tensor gating, Tensor features) => features * Attention(gating, features);
}
