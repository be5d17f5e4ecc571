namespace AnomalyDetection.Tensors;

/// <summary>How a loss reduces its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over all elements.</summary>
    Mean,

    /// <summary>The sum over all elements.</summary>
    Sum,

    /// <summary>No reduction: one value per element.</summary>
    None,
}
