using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.PatchGan;

/// <summary>
/// The learnable patch ranking: a two-layer perceptron maps each patch's abnormality a, reconstruction error e and
/// normalised position (row, column) to a score in [−1, 1], and each image's scores become weights
/// w = (patches)·softmax(score / τ), which average 1 like the fixed top-k weights do.
/// </summary>
internal sealed class PatchRankingHead : Module<Tensor, Tensor>
{
    /// <summary>Abnormality, error, row and column.</summary>
    public const int FeatureCount = 4;

    private readonly Sequential _mlp;
    private readonly CoordinateChannels _coordinates = new();

    public PatchRankingHead(int hiddenUnits, double temperature, RandomSource random)
    {
        Temperature = (float)temperature;
        _mlp = RegisterModule("mlp", new Sequential(
            new Linear(FeatureCount, hiddenUnits, random: random),
            new ReLU(),
            new Linear(hiddenUnits, 1, random: random),
            new Tanh()));
    }

    public float Temperature { get; }

    /// <summary>Ranking weights from per-patch evidence.</summary>
    /// <param name="input">Abnormality and error stacked as channels, shape (N, 2, R, K); treated as constants.</param>
    /// <returns>Weights of shape (N, 1, R, K), each image's averaging 1; they carry gradients to the head's parameters.</returns>
    public override Tensor Forward(Tensor input)
    {
        int n = input.Size(0), rows = input.Size(2), columns = input.Size(3), patches = rows * columns;
        var features = _coordinates.Forward(input.Detach())
            .Permute(0, 2, 3, 1)
            .Reshape(n * patches, FeatureCount);
        var scores = _mlp.Forward(features).Reshape(n, patches);
        var weights = Functional.Softmax(scores * (1f / Temperature), 1) * patches;
        return weights.Reshape(n, 1, rows, columns);
    }
}
