using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Serialization;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>PyTorch forward passes of the building blocks, written by tools/patchgan/make_component_fixtures.py.</summary>
internal static class ComponentFixture
{
    private static readonly Lazy<IReadOnlyDictionary<string, Tensor>> Tensors = new(() =>
        SafeTensors.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "components.safetensors")).Tensors);

    /// <summary>Loads the block's PyTorch weights into <paramref name="module"/> (strictly) and returns its input and expected output.</summary>
    public static (Tensor Input, Tensor Expected) Load(string block, Module module)
    {
        var prefix = block + ".state.";
        var state = Tensors.Value.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value);
        module.LoadStateDict(state, strict: true);
        return (Tensors.Value[block + ".input"], Tensors.Value[block + ".output"]);
    }
}
