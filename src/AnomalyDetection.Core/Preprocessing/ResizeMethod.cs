using System.Text.Json.Serialization;

namespace AnomalyDetection.Preprocessing;

/// <summary>How <see cref="ResizeStep"/> computes each output pixel.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResizeMethod>))]
public enum ResizeMethod
{
    /// <summary>
    /// Pillow's <c>Image.BILINEAR</c>: a triangle filter on half-pixel centres whose support widens with the
    /// downscaling factor, so that shrinking averages every input pixel instead of skipping some. This equals
    /// torchvision's <c>Resize</c> on PIL images and PyTorch's
    /// <c>interpolate(mode="bilinear", align_corners=False, antialias=True)</c>; when enlarging it equals plain
    /// bilinear interpolation with <c>align_corners=False</c>.
    /// </summary>
    Bilinear,

    /// <summary>
    /// Each output pixel is the mean of the input area it covers, partly covered pixels weighted by the fraction
    /// covered. For whole-number factors this equals PyTorch's <c>interpolate(mode="area")</c> and Pillow's
    /// <c>Image.BOX</c>.
    /// </summary>
    Area,
}
