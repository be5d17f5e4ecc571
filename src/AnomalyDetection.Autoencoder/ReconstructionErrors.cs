using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Autoencoder;

/// <summary>The reconstruction error that training minimises and scoring reads, so the two cannot drift apart.</summary>
internal static class ReconstructionErrors
{
    /// <summary>The error of every element: the residual's square for <see cref="ReconstructionLoss.L2"/>, the residual
    /// for <see cref="ReconstructionLoss.L1"/>, where the residual is |x − x̂| or its one side.</summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    /// <param name="reconstructions">Their reconstructions, same shape.</param>
    /// <param name="loss">Which error.</param>
    /// <param name="polarity">Which side of x − x̂ counts: training always counts both.</param>
    public static Tensor Elementwise(Tensor images, Tensor reconstructions, ReconstructionLoss loss, ResidualPolarity polarity = ResidualPolarity.Absolute)
    {
        var residual = RestorationResidual.Of(images, reconstructions, polarity);
        return loss == ReconstructionLoss.L1 ? residual : residual.Squared();
    }
}
