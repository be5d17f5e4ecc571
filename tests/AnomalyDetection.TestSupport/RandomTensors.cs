using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.TestSupport;

/// <summary>Seeded test inputs, drawn from <see cref="RandomSource"/> so that they do not depend on LibTorch's generator.</summary>
public static class RandomTensors
{
    /// <summary>A float32 CPU tensor of values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="seed">Seeds the values.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound, excluded.</param>
    /// <param name="shape">The dimensions.</param>
    public static Tensor Uniform(long seed, float low, float high, params long[] shape)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        new RandomSource(seed).FillUniform(values, low, high);
        return TensorData.FromArray(values, shape);
    }
}
