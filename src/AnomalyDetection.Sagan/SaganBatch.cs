using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan;

/// <summary>Everything one SAGAN training iteration consumes.</summary>
/// <param name="Normal">Labelled normal images x_n (B, C, H, W): the critic's real samples.</param>
/// <param name="Unlabeled">Unlabeled images x_u (B, C, H, W), restored into the critic's fake samples.</param>
/// <param name="PseudoAnomalous">x_n with pseudo-anomalies blended in, for the restoration loss.</param>
/// <param name="PenaltyAlpha">The gradient penalty's interpolation factors (B, 1, 1, 1).</param>
/// <param name="CriticKeepMask">The generator's mixing mask when it makes the fake samples (4B, 1, H/2, W/2), or null.</param>
/// <param name="GeneratorKeepMask">The mixing mask of the generator update's restoration of [x_u, x_n, x̃_n] (12B, 1, H/2, W/2), or null.</param>
/// <param name="UpdateGenerator">Whether the generator is updated after the critic.</param>
internal sealed record SaganBatch(
    Tensor Normal,
    Tensor Unlabeled,
    Tensor PseudoAnomalous,
    Tensor PenaltyAlpha,
    Tensor? CriticKeepMask,
    Tensor? GeneratorKeepMask,
    bool UpdateGenerator)
{
    /// <summary>The batch with every tensor on <paramref name="device"/> (each copied once, or kept when already there).</summary>
    /// <param name="device">Where the networks are.</param>
    public SaganBatch To(torch.Device device) => new(
        Normal.to(device),
        Unlabeled.to(device),
        PseudoAnomalous.to(device),
        PenaltyAlpha.to(device),
        CriticKeepMask?.to(device),
        GeneratorKeepMask?.to(device),
        UpdateGenerator);
}
