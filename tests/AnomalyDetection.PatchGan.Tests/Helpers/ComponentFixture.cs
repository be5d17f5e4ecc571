using AnomalyDetection.Engine;
using AnomalyDetection.TestSupport;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>PyTorch forward passes of the building blocks, written by tools/patchgan/make_component_fixtures.py.</summary>
internal static class ComponentFixture
{
    private static readonly Lazy<Fixture> Tensors = new(() => Fixture.Load("components.safetensors"));

    /// <summary>Loads the block's PyTorch weights into <paramref name="module"/> (strictly, by name) and returns its
    /// input and expected output.</summary>
    public static (Tensor Input, Tensor Expected) Load(string block, Module module)
    {
        StateDicts.LoadStrict(module, Tensors.Value.WithPrefix(block + ".state."), block);
        return (Tensors.Value[block + ".input"], Tensors.Value[block + ".output"]);
    }
}
