using AnomalyDetection.Serialization;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.TestSupport;

/// <summary>Tensors written by the PyTorch fixture scripts of <c>tools/</c>, read from a test's output folder.</summary>
public sealed class Fixture
{
    private readonly IReadOnlyDictionary<string, Tensor> _tensors;

    private Fixture(IReadOnlyDictionary<string, Tensor> tensors) => _tensors = tensors;

    /// <summary>Reads <c>Fixtures/{relativePath}</c> beside the test assembly.</summary>
    /// <param name="relativePath">The safetensors file under the test project's <c>Fixtures</c> folder.</param>
    public static Fixture Load(string relativePath) =>
        new(SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", relativePath)).Tensors);

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <param name="name">The name the script gave it.</param>
    public Tensor this[string name] => _tensors.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"The fixture holds no tensor '{name}'.");

    /// <summary>Every tensor whose name starts with <paramref name="prefix"/>, by the rest of its name.</summary>
    /// <param name="prefix">For example <c>generator.</c>.</param>
    public Dictionary<string, Tensor> WithPrefix(string prefix) =>
        _tensors.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);

    /// <summary>Whether the fixture holds <paramref name="name"/>.</summary>
    /// <param name="name">The tensor's name.</param>
    public bool Contains(string name) => _tensors.ContainsKey(name);
}
