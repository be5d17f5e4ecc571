using System.Text.Json.Serialization;

namespace AnomalyDetection.PatchGan;

/// <summary>How the discriminator judges the patches of a reconstruction.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PatchDiscriminatorKind>))]
public enum PatchDiscriminatorKind
{
    /// <summary>Each grid patch is cropped and judged by one shared small CNN (the most literal reading of the paper's
    /// "dividing the reconstructed images into patches").</summary>
    Cropped,

    /// <summary>A fully convolutional pix2pix PatchGAN whose logit map is averaged onto the patch grid.</summary>
    FullyConvolutional,
}
