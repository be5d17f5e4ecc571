using TorchSharp;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// An exponential moving average of a module's parameters, updated after each optimiser step. A GAN's generator
/// oscillates from step to step; its averaged weights move smoothly and usually score more steadily than the last ones.
/// </summary>
/// <remarks>
/// The decay of update n is min(<see cref="Decay"/>, (1 + n) / (10 + n)): early updates weigh more, so a short run's
/// average is not held back by the random initial weights. Buffers are not averaged; the module keeps its own.
/// </remarks>
public sealed class ExponentialWeightAverage : IDisposable
{
    private readonly Module _module;
    private readonly Dictionary<string, Tensor> _average = new(StringComparer.Ordinal);

    /// <summary>Starts the average at the module's current parameters.</summary>
    /// <param name="module">The module whose parameters are averaged; the average lives on its device.</param>
    /// <param name="decay">The weight of the old average at each update, in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decay"/> is not in (0, 1).</exception>
    public ExponentialWeightAverage(Module module, double decay)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!(decay is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The decay must be in (0, 1).");
        }

        _module = module;
        Decay = decay;
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in module.named_parameters())
        {
            _average.Add(name, parameter.detach().clone().DetachFromDisposeScope());
        }
    }

    /// <summary>The largest weight of the old average at an update.</summary>
    public double Decay { get; }

    /// <summary>The number of updates so far.</summary>
    public long Updates { get; private set; }

    /// <summary>Moves the average toward the module's current parameters; call after each optimiser step.</summary>
    public void Update()
    {
        Updates++;
        var decay = Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var kept = decay.ToScalar();
        using var taken = (1 - decay).ToScalar();
        foreach (var (name, parameter) in _module.named_parameters())
        {
            _average[name].mul_(kept).add_(parameter, taken);
        }
    }

    /// <summary>Copies the averaged parameters into the module, replacing its own.</summary>
    public void CopyToModule()
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in _module.named_parameters())
        {
            parameter.copy_(_average[name]);
        }
    }

    /// <summary>Puts the averaged parameters into the module until the result is disposed, then the module's own back.</summary>
    /// <returns>Restores the module's own parameters when disposed.</returns>
    public IDisposable SwapIntoModule()
    {
        var own = _module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope(), StringComparer.Ordinal);
        CopyToModule();
        return new OwnParametersBack(_module, own);
    }

    /// <summary>The averaged parameters copied to float32 CPU tensors, by name, for a checkpoint.</summary>
    public Dictionary<string, Tensor> Export() =>
        _average.ToDictionary(p => p.Key, p => p.Value.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).clone(), StringComparer.Ordinal);

    /// <summary>Replaces the average and the update count with a checkpoint's, strictly by name and shape.</summary>
    /// <param name="average">The averaged parameters by name, on any device.</param>
    /// <param name="updates">The number of updates they reflect; not negative.</param>
    /// <exception cref="StateDictMismatchException">Names or shapes differ from the module's parameters.</exception>
    public void Restore(IReadOnlyDictionary<string, Tensor> average, long updates)
    {
        ArgumentNullException.ThrowIfNull(average);
        ArgumentOutOfRangeException.ThrowIfNegative(updates);
        StateDicts.ThrowIfMismatched(_average.ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal), average, "the averaged weights");
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in _average)
        {
            tensor.copy_(average[name]);
        }

        Updates = updates;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in _average.Values)
        {
            tensor.Dispose();
        }

        _average.Clear();
    }

    private sealed class OwnParametersBack(Module module, Dictionary<string, Tensor> own) : IDisposable
    {
        public void Dispose()
        {
            using (torch.no_grad())
            {
                foreach (var (name, parameter) in module.named_parameters())
                {
                    parameter.copy_(own[name]);
                }
            }

            foreach (var tensor in own.Values)
            {
                tensor.Dispose();
            }
        }
    }
}
