using AnomalyDetection.Sagan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.TestSupport;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Tests.Helpers;

/// <summary>
/// The PyTorch reference (tools/sagan/sagan_reference.py fixture, ConvDim 4, 2 residual blocks): its weights loaded
/// strictly into the C# networks, and its golden outputs.
/// </summary>
public sealed class ReferenceFixture
{
    public const int ConvDim = 4;
    public const int RepeatNum = 2;

    public ReferenceFixture()
    {
        Generator = new SaganGenerator(1, ConvDim, RepeatNum, new RandomSource(1));
        StateDicts.LoadStrict(Generator, Fixture.Load("reference/generator.safetensors").WithPrefix(""), "generator");
        Critic = new WassersteinCritic(1, ConvDim, 6, new RandomSource(2));
        StateDicts.LoadStrict(Critic, Fixture.Load("reference/critic.safetensors").WithPrefix(""), "critic");
        Outputs = Fixture.Load("reference/outputs.safetensors");
    }

    public SaganGenerator Generator { get; }

    public WassersteinCritic Critic { get; }

    public Fixture Outputs { get; }

    public Tensor this[string name] => Outputs[name];
}
