using AnomalyDetection.Engine;
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
        ArgumentNullException.ThrowIfNull(context);
        return InEvaluationMode(network, context.Validation, context.Device, batchSize, errors, (images, batch) =>
        {
            var total = torch.zeros(1, device: context.Device);
            for (long start = 0; start < images.shape[0]; start += batchSize)
            {
                total = total.Plus(batch(start).sum());
            }

            return total.item<float>() / (double)images.numel();
        });
    }

    /// <summary>
    /// The mean of <paramref name="errors"/> over each image of <paramref name="images"/>, computed as
    /// <see cref="Mean"/> computes the whole set's: one score per image, for metrics that rank images.
    /// </summary>
    /// <param name="network">The network, switched to evaluation mode while scoring.</param>
    /// <param name="images">The images.</param>
    /// <param name="device">Where <paramref name="network"/> lives.</param>
    /// <param name="batchSize">Images per forward pass; positive.</param>
    /// <param name="errors">The per-pixel errors of one batch, of the batch's shape.</param>
    /// <returns>One mean error per image, in the set's order.</returns>
    public static float[] PerImage(Module network, TrainingImageSet images, torch.Device device, int batchSize, Func<Tensor, Tensor> errors) =>
        InEvaluationMode(network, images, device, batchSize, errors, (all, batch) =>
        {
            var means = new List<Tensor>();
            for (long start = 0; start < all.shape[0]; start += batchSize)
            {
                var error = batch(start);
                means.Add(error.reshape(error.shape[0], -1).mean([1]));
            }

            return torch.cat(means, 0).cpu().data<float>().ToArray();
        });

    private static T InEvaluationMode<T>(Module network, TrainingImageSet images, torch.Device device, int batchSize, Func<Tensor, Tensor> errors,
        Func<Tensor, Func<long, Tensor>, T> reduce)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var training = network.training;
        network.eval();
        try
        {
            var all = images.All().to(device);
            return reduce(all, start => errors(all.narrow(0, start, Math.Min(batchSize, all.shape[0] - start))));
        }
        finally
        {
            network.train(training);
        }
    }
}
