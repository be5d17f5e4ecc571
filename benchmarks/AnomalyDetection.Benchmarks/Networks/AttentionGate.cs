using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Benchmarks.Networks;

/// <summary>
/// The additive attention gate of Attention U-Net as SAGAN uses it on its skip connections: 1×1 projections of the
/// gate and the skip (each instance-normalised), summed, ReLU, a 1×1 projection to one channel, instance norm and
/// sigmoid give a per-pixel weight that scales every channel of the skip.
/// </summary>
internal sealed class AttentionGate : Module<(Tensor Gate, Tensor Skip), Tensor>
{
    private readonly Sequential _gate;
    private readonly Sequential _skip;
    private readonly Sequential _weight;

    public AttentionGate(int gateChannels, int skipChannels, int innerChannels)
    {
        _gate = RegisterModule("gate", new Sequential(new Conv2d(gateChannels, innerChannels, 1), new InstanceNorm2d(innerChannels)));
        _skip = RegisterModule("skip", new Sequential(new Conv2d(skipChannels, innerChannels, 1), new InstanceNorm2d(innerChannels)));
        _weight = RegisterModule("weight", new Sequential(new Conv2d(innerChannels, 1, 1), new InstanceNorm2d(1), new Sigmoid()));
    }

    public override Tensor Forward((Tensor Gate, Tensor Skip) input)
    {
        var weight = _weight.Forward((_gate.Forward(input.Gate) + _skip.Forward(input.Skip)).Relu());
        return input.Skip * weight;
    }
}
