namespace AnomalyDetection.Tensors.NN;

/// <summary>How <see cref="Upsample"/> interpolates.</summary>
public enum UpsampleMode
{
    /// <summary>Copy the nearest source pixel (PyTorch's 'nearest').</summary>
    Nearest,

    /// <summary>Interpolate linearly between the four nearest source pixels.</summary>
    Bilinear,
}
