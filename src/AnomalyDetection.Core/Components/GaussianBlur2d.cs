using AnomalyDetection.Engine;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Components;

/// <summary>
/// An isotropic Gaussian blur of each channel separately, normalised at the borders by the share of the kernel inside
/// the image (so a constant image stays constant up to the edge). Used to smooth anomaly maps at the lesion scale.
/// </summary>
public sealed class GaussianBlur2d : nn.Module<Tensor, Tensor>
{
    private readonly Tensor? _kernel;

    /// <summary>Creates the blur.</summary>
    /// <param name="sigma">The standard deviation in pixels; 0 for none. The kernel reaches 3σ on each side.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sigma"/> is negative or not finite.</exception>
    public GaussianBlur2d(double sigma)
        : base(nameof(GaussianBlur2d))
    {
        if (!(sigma >= 0) || double.IsPositiveInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The blur's sigma must be finite and not negative.");
        }

        Sigma = sigma;
        Radius = sigma == 0 ? 0 : (int)Math.Ceiling(3 * sigma);
        if (Radius > 0)
        {
            // A constant, not a weight: it is not registered, so it stays out of state dictionaries.
            _kernel = Kernel(sigma, Radius);
        }
    }

    /// <summary>The standard deviation in pixels.</summary>
    public double Sigma { get; }

    /// <summary>The kernel's reach on each side, ⌈3σ⌉.</summary>
    public int Radius { get; }

    /// <summary>Blurs a batch (N, C, H, W).</summary>
    /// <param name="input">The images or maps.</param>
    /// <returns>The blurred batch, same shape.</returns>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, null, nameof(GaussianBlur2d));
        if (_kernel is null)
        {
            return input;
        }

        long n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var kernel = _kernel.to(input.device);
        var planes = input.reshape(n * c, 1, h, w);
        var blurred = nn.functional.conv2d(planes, kernel, padding: [Radius, Radius]);

        // The share of the kernel that fell inside the image, per pixel.
        var coverage = nn.functional.conv2d(ones(1, 1, h, w, device: input.device), kernel, padding: [Radius, Radius]);
        return (blurred / coverage).reshape(n, c, h, w);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kernel?.Dispose();
        }

        base.Dispose(disposing);
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

        return TensorData.FromArray(kernel, 1, 1, size, size);
    }
}
