using AnomalyDetection.PatchGan.Components;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The learnable patch ranking: a two-layer perceptron (<c>mlp.0</c>, <c>mlp.2</c>) maps each patch's abnormality a,
/// reconstruction error e and normalised position (row, column) to a score in [−1, 1], and each image's scores become
/// weights w = (patches)·softmax(score / τ), which average 1 like the fixed top-k weights do.
/// </summary>
internal sealed class PatchRankingHead : Module<Tensor, Tensor>
{
    /// <summary>Abnormality, error, row and column.</summary>
    public const int FeatureCount = 4;

    [ComponentName(Name = "mlp")]
    private readonly Sequential _mlp;

    // Has no state: the coordinates are built for each input.
    [ComponentName(Name = "coordinates")]
    private readonly CoordinateChannels _coordinates = new();

    public PatchRankingHead(int hiddenUnits, double temperature, RandomSource random)
        : base(nameof(PatchRankingHead))
    {
        Temperature = (float)temperature;
        _mlp = Sequential(Linear(FeatureCount, hiddenUnits, device: LayerDevice.Current), ReLU(), Linear(hiddenUnits, 1, device: LayerDevice.Current), Tanh());
        RegisterComponents();
        WeightInit.ResetParameters(this, random);
    }

    public float Temperature { get; }

    /// <summary>Ranking weights from per-patch evidence.</summary>
    /// <param name="input">Abnormality and error stacked as channels, shape (N, 2, R, K); treated as constants.</param>
    /// <returns>Weights of shape (N, 1, R, K), each image's averaging 1; they carry gradients to the head's parameters.</returns>
    public override Tensor forward(Tensor input)
    {
        long n = input.shape[0], rows = input.shape[2], columns = input.shape[3], patches = rows * columns;
        using var scope = torch.NewDisposeScope();
        var features = _coordinates.forward(input.detach())
            .permute(0, 2, 3, 1)
            .reshape(n * patches, FeatureCount);
        var scores = _mlp.forward(features).reshape(n, patches);
        var weights = functional.softmax(scores.Times(1f / Temperature), 1).Times(patches);
        return weights.reshape(n, 1, rows, columns).MoveToOuterDisposeScope();
    }
}
