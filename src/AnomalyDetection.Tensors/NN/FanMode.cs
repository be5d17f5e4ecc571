namespace AnomalyDetection.Tensors.NN;

/// <summary>Which fan a Kaiming initialisation preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>The number of inputs per output unit: preserves the variance of activations in the forward pass.</summary>
    FanIn,

    /// <summary>The number of outputs per input unit: preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}
