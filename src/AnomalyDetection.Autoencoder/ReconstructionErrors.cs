using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Autoencoder;

/// <summary>The reconstruction error that training minimises and scoring reads, so the two cannot drift apart.</summary>
internal static class ReconstructionErrors
{
    /// <summary>The error of every element: (x − x̂)² for <see cref="ReconstructionLoss.L2"/>, |x − x̂| for <see cref="ReconstructionLoss.L1"/>.</summary>
    /// <param name="images">Images of shape (N, C, H, W).</param>
    /// <param name="reconstructions">Their reconstructions, same shape.</param>
    /// <param name="loss">Which error.</param>
    public static Tensor Elementwise(Tensor images, Tensor reconstructions, ReconstructionLoss loss)
    {
        var difference = images - reconstructions;
        return loss == ReconstructionLoss.L1 ? difference.abs() : difference.square();
    }
}
