using TorchSharp;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>Strict, name-by-name copies of a module's weights to and from dictionaries of CPU tensors.</summary>
public static class StateDicts
{
    /// <summary>Every parameter and buffer of <paramref name="module"/>, copied to float32 CPU tensors, by name.</summary>
    /// <param name="module">The module.</param>
    public static Dictionary<string, Tensor> Export(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in module.state_dict())
        {
            result.Add(name, tensor.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).clone());
        }

        return result;
    }

    /// <summary>
    /// Copies <paramref name="weights"/> into <paramref name="module"/>'s parameters and buffers, strictly: every tensor
    /// of the module must be present with its shape and nothing else may be; on any mismatch nothing is copied.
    /// </summary>
    /// <param name="module">The module, on any device.</param>
    /// <param name="weights">Tensors by name, on any device.</param>
    /// <param name="moduleName">Names the module in the error message.</param>
    /// <exception cref="StateDictMismatchException">Keys are missing or unexpected, or shapes differ; the message lists each.</exception>
    public static void LoadStrict(Module module, IReadOnlyDictionary<string, Tensor> weights, string moduleName)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(weights);
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = own
            .Where(p => weights.TryGetValue(p.Key, out var w) && !w.shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key}: expected [{string.Join(", ", p.Value.shape)}], got [{string.Join(", ", weights[p.Key].shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new StateDictMismatchException(moduleName, missing, unexpected, mismatched);
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, target) in own)
        {
            target.copy_(weights[name]);
        }
    }

    /// <summary>The number of elements in all parameters and buffers of <paramref name="module"/>.</summary>
    /// <param name="module">The module.</param>
    public static long ElementCount(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.state_dict().Values.Sum(t => t.numel());
    }
}
