namespace AnomalyDetection.Sagan;

/// <summary>One pseudo-anomaly: a square of another image blended into a normal image.</summary>
/// <param name="Top">First row of the square.</param>
/// <param name="Left">First column of the square.</param>
/// <param name="Bottom">One past the last row.</param>
/// <param name="Right">One past the last column.</param>
/// <param name="Opacity">The blend weight α of the foreign image inside the square, in [0, 1).</param>
public sealed record PseudoAnomalyRegion(int Top, int Left, int Bottom, int Right, float Opacity);
