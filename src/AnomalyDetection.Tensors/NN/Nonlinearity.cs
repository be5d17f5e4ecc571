namespace AnomalyDetection.Tensors.NN;

/// <summary>The activation that follows a layer, which sets the gain of its initialisation (PyTorch's <c>calculate_gain</c>).</summary>
public enum Nonlinearity
{
    /// <summary>No activation (also convolutions and sigmoid): gain 1.</summary>
    Linear,

    /// <summary>Logistic sigmoid: gain 1.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent: gain 5/3.</summary>
    Tanh,

    /// <summary>Rectified linear unit: gain √2.</summary>
    ReLU,

    /// <summary>Leaky ReLU with negative slope a: gain √(2 / (1 + a²)).</summary>
    LeakyReLU,
}
