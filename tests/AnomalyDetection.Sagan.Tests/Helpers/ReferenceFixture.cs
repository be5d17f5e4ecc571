using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Serialization;

namespace AnomalyDetection.Sagan.Tests.Helpers;

/// <summary>
/// The PyTorch reference (tools/sagan/sagan_reference.py fixture, ConvDim 4, 2 residual blocks): its weights loaded
/// strictly into the C# networks, and its golden outputs.
/// </summary>
public sealed class ReferenceFixture
{
    public const int ConvDim = 4;
    public const int RepeatNum = 2;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference");

    public ReferenceFixture()
    {
        Generator = new SaganGenerator(1, ConvDim, RepeatNum, new RandomSource(1));
        Generator.Load(Path.Combine(Folder, "generator.safetensors"), strict: true);
        Critic = new WassersteinCritic(1, ConvDim, 6, new RandomSource(2));
        Critic.Load(Path.Combine(Folder, "critic.safetensors"), strict: true);
        Outputs = SafeTensors.Load(Path.Combine(Folder, "outputs.safetensors")).Tensors;
    }

    public SaganGenerator Generator { get; }

    public WassersteinCritic Critic { get; }

    public IReadOnlyDictionary<string, Tensor> Outputs { get; }

    public Tensor this[string name] => Outputs[name];
}
