using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// Batch normalisation over (N, C, H, W) with learned scale and shift and running statistics (momentum 0.1, ε 1e-5),
/// what <c>nn.BatchNorm2d(channels)</c> computes, with the same parameter and buffer names (<c>weight</c>,
/// <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>). TorchSharp's module counts its
/// training batches with a temporary scalar that a garbage collection may free while LibTorch reads it (see
/// <see cref="HeldScalars"/>).
/// </summary>
public sealed class HeldBatchNorm2d : torch.nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;

    // Moving the module replaces these fields' tensors; read them through the fields, never a cached copy.
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    [ComponentName(Name = "running_mean")]
    private readonly Tensor _runningMean;

    [ComponentName(Name = "running_var")]
    private readonly Tensor _runningVariance;

    [ComponentName(Name = "num_batches_tracked")]
    private readonly Tensor _batchesTracked;

    /// <summary>Creates the layer: scale 1, shift 0, running mean 0 and variance 1.</summary>
    /// <param name="channels">The number of channels C; positive.</param>
    /// <param name="device">Where its tensors live; the CPU when absent.</param>
    public HeldBatchNorm2d(long channels, torch.Device? device = null)
        : base(nameof(HeldBatchNorm2d))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        _weight = torch.nn.Parameter(torch.ones(channels, device: device));
        _bias = torch.nn.Parameter(torch.zeros(channels, device: device));
        _runningMean = torch.zeros(channels, device: device);
        _runningVariance = torch.ones(channels, device: device);
        _batchesTracked = torch.tensor(0L, device: device);
        RegisterComponents();
    }

    /// <summary>The number of channels C.</summary>
    public long Channels { get; }

    /// <summary>Normalises each channel by the batch's statistics in training (and updates the running ones), by the
    /// running statistics in evaluation.</summary>
    /// <param name="input">A tensor of shape (N, C, H, W).</param>
    /// <returns>A tensor of the input's shape.</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != Channels)
        {
            throw new ArgumentException($"Batch normalisation over {Channels} channels needs an input of shape (N, {Channels}, H, W), got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        if (training)
        {
            _batchesTracked.add_(HeldScalars.One, HeldScalars.One);
        }

        return torch.nn.functional.batch_norm(input, _runningMean, _runningVariance, _weight, _bias, training, Momentum, Epsilon);
    }
}
