using System.Text.Json.Serialization;

namespace AnomalyDetection.PatchGan;

/// <summary>How the per-patch adversarial losses are weighted during training.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PatchRanking>))]
public enum PatchRanking
{
    /// <summary>Every patch weighs the same (ranking off, for ablation).</summary>
    None,

    /// <summary>The top fraction of patches by abnormality (probability of being fake) get a larger fixed weight.</summary>
    TopK,

    /// <summary>A small learned head turns each patch's abnormality, reconstruction error and position into a softmax
    /// weight; it is trained to emphasise the patches the reconstructor handles worst.</summary>
    Learned,
}
