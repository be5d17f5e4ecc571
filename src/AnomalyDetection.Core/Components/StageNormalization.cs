namespace AnomalyDetection.Components;

/// <summary>The normalisation after a convolution stage's convolution (see <see cref="ConvolutionStages"/>).</summary>
public enum StageNormalization
{
    /// <summary>None; the convolution keeps its bias (an encoder's or discriminator's first stage, as in pix2pix).</summary>
    None,

    /// <summary>Batch normalisation with learned scale and shift and running statistics.</summary>
    Batch,

    /// <summary>Instance normalisation (each image's own statistics), without learned parameters.</summary>
    Instance,
}
