using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Smooths each channel of an image with a fixed Gaussian kernel, for anomaly maps. Near the border the kernel is
/// renormalised over the pixels inside the image, so a constant map stays constant and edges are not darkened.
/// </summary>
/// <remarks>The kernel has radius ⌈3σ⌉ and weights e^(−(dx² + dy²) / 2σ²), normalised to sum 1. σ = 0 leaves the input unchanged.</remarks>
public sealed class GaussianBlur2d : Module<Tensor, Tensor>
{
    private readonly Tensor? _kernel;

    /// <summary>Creates the blur.</summary>
    /// <param name="sigma">The standard deviation in pixels; 0 turns the blur off.</param>
    /// <exception cref="ArgumentOutOfRangeException">σ is negative or not finite.</exception>
    public GaussianBlur2d(double sigma)
    {
        if (!(sigma >= 0) || double.IsPositiveInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The blur's sigma must be finite and not negative.");
        }

        Sigma = sigma;
        Radius = sigma == 0 ? 0 : (int)Math.Ceiling(3 * sigma);
        if (Radius > 0)
        {
            _kernel = Kernel(sigma, Radius);
        }
    }

    /// <summary>The standard deviation in pixels.</summary>
    public double Sigma { get; }

    /// <summary>The kernel radius ⌈3σ⌉; the kernel is (2·radius + 1) pixels wide.</summary>
    public int Radius { get; }

    /// <summary>Blurs every channel of every image.</summary>
    /// <param name="input">Images of shape (N, C, H, W).</param>
    /// <returns>Blurred images of the input's shape.</returns>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, null, nameof(GaussianBlur2d));
        if (_kernel is null)
        {
            return input;
        }

        int n = input.Size(0), c = input.Size(1), h = input.Size(2), w = input.Size(3);
        var planes = input.Reshape(n * c, 1, h, w);
        var blurred = Functional.Conv2d(planes, _kernel, padding: Radius);

        // The share of the kernel that fell inside the image, per pixel.
        var coverage = Functional.Conv2d(Tensor.Ones(1, 1, h, w), _kernel, padding: Radius);
        return (blurred / coverage).Reshape(n, c, h, w);
    }

    private static Tensor Kernel(double sigma, int radius)
    {
        var size = (2 * radius) + 1;
        var weights = new double[size * size];
        double total = 0;
        for (var y = -radius; y <= radius; y++)
        {
            for (var x = -radius; x <= radius; x++)
            {
                var value = Math.Exp(-((x * x) + (y * y)) / (2 * sigma * sigma));
                weights[((y + radius) * size) + x + radius] = value;
                total += value;
            }
        }

        var kernel = new float[weights.Length];
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(weights[i] / total);
        }

        return Tensor.FromArray(kernel, 1, 1, size, size);
    }
}
