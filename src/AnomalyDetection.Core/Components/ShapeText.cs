using AnomalyDetection.Tensors;

namespace AnomalyDetection.Components;

/// <summary>Formats shapes for error messages the way the tensor engine does: <c>[2, 1, 64, 64]</c>.</summary>
internal static class ShapeText
{
    public static string Of(Tensor tensor) => "[" + string.Join(", ", tensor.ShapeArray()) + "]";
}
