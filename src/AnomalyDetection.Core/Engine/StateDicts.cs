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
        ThrowIfMismatched(own.ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal), weights, moduleName);
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in own)
        {
            target.copy_(weights[name]);
        }
    }

    /// <summary>
    /// Refuses <paramref name="given"/> tensors unless they are exactly the <paramref name="expected"/> names with their
    /// shapes, listing every missing, unexpected and misshaped tensor.
    /// </summary>
    /// <param name="expected">The shapes by name.</param>
    /// <param name="given">The tensors by name.</param>
    /// <param name="moduleName">Names what the tensors are for, in the message.</param>
    /// <param name="ignored">Given names to accept without expecting them (such as buffers no code reads); null for none.</param>
    /// <param name="describe">How to name an expected tensor in a shape mismatch; the name itself when null.</param>
    /// <exception cref="StateDictMismatchException">Anything does not match.</exception>
    public static void ThrowIfMismatched(IReadOnlyDictionary<string, long[]> expected, IReadOnlyDictionary<string, Tensor> given, string moduleName,
        Func<string, bool>? ignored = null, Func<string, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(given);
        var missing = expected.Keys.Where(k => !given.ContainsKey(k)).ToList();
        var unexpected = given.Keys.Where(k => !expected.ContainsKey(k) && ignored?.Invoke(k) != true).ToList();
        var mismatched = expected
            .Where(p => given.TryGetValue(p.Key, out var w) && !w.shape.SequenceEqual(p.Value))
            .Select(p => $"{describe?.Invoke(p.Key) ?? p.Key}: expected [{string.Join(", ", p.Value)}], got [{string.Join(", ", given[p.Key].shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new StateDictMismatchException(moduleName, missing, unexpected, mismatched);
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
