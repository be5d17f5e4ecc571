using Tensor = TorchSharp.torch.Tensor;
namespace AnomalyDetection.Serialization;

/// <summary>What a safetensors file holds once read: its tensors, converted to float32, and its metadata.</summary>
/// <param name="Tensors">The tensors by name, in the order of their data in the file.</param>
/// <param name="Metadata">The free-form string pairs of the header's <c>__metadata__</c> entry; empty when it has none.</param>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
