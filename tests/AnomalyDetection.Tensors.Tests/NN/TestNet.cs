using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Tensors.Tests.NN;

/// <summary>
/// A small model with every kind of member, mirroring this PyTorch module (whose names the tests compare against):
/// <code>
/// class Net(nn.Module):
///     def __init__(self):
///         super().__init__()
///         self.scale = nn.Parameter(torch.ones(1))
///         self.register_buffer("steps", torch.zeros(1))
///         self.encoder = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.InstanceNorm2d(4, affine=True, track_running_stats=True),
///                                      nn.LeakyReLU(0.2), nn.Conv2d(4, 8, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
///         self.decoder = nn.Sequential(OrderedDict([("up", nn.ConvTranspose2d(8, 4, 4, 2, 1)), ("norm", nn.LayerNorm([4, 8, 8])),
///                                                   ("out", nn.Conv2d(4, 1, 1)), ("act", nn.Tanh())]))
///         self.head = nn.Linear(64, 10)
/// </code>
/// </summary>
internal sealed class TestNet : Module<Tensor, Tensor>
{
    public TestNet(RandomSource random)
    {
        Scale = RegisterParameter("scale", Tensor.Ones(1));
        RegisterBuffer("steps", Tensor.Zeros(1));
        Encoder = RegisterModule("encoder", new Sequential(
            new Conv2d(1, 4, 3, padding: 1, random: random),
            new InstanceNorm2d(4, affine: true, trackRunningStats: true),
            new LeakyReLU(0.2f),
            new Conv2d(4, 8, 4, stride: 2, padding: 1, hasBias: false, random: random),
            new BatchNorm2d(8),
            new ReLU()));
        Decoder = RegisterModule("decoder", new Sequential(
            ("up", new ConvTranspose2d(8, 4, 4, 2, 1, random: random)),
            ("norm", new LayerNorm([4, 8, 8])),
            ("out", new Conv2d(4, 1, 1, random: random)),
            ("act", new Tanh())));
        Head = RegisterModule("head", new Linear(64, 10, random: random));
    }

    public Tensor Scale { get; }

    public Sequential Encoder { get; }

    public Sequential Decoder { get; }

    public Linear Head { get; }

    public override Tensor Forward(Tensor input) => Head.Forward(Decoder.Forward(Encoder.Forward(input)).Reshape(input.Size(0), 64)) * Scale;
}
