using TorchSharp;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>The validation metric every detector uses: a per-pixel error of its validation images, averaged.</summary>
public static class ValidationError
{
    /// <summary>
    /// The mean of <paramref name="errors"/> over every pixel of the validation images, computed in batches in
    /// evaluation mode without gradients; the network's training mode is restored afterwards.
    /// </summary>
    /// <param name="network">The network, switched to evaluation mode while scoring.</param>
    /// <param name="context">The run's validation images and device.</param>
    /// <param name="batchSize">Images per forward pass; positive.</param>
    /// <param name="errors">The per-pixel errors of one batch, of the batch's shape.</param>
    /// <returns>The mean error.</returns>
    public static double Mean(Module network, TrainingContext context, int batchSize, Func<Tensor, Tensor> errors)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var training = network.training;
        network.eval();
        try
        {
            var images = context.Validation.All().to(context.Device);
            var count = images.shape[0];
            var total = torch.zeros(1, device: context.Device);
            for (long start = 0; start < count; start += batchSize)
            {
                total += errors(images.narrow(0, start, Math.Min(batchSize, count - start))).sum();
            }

            return total.item<float>() / (double)images.numel();
        }
        finally
        {
            network.train(training);
        }
    }
}
