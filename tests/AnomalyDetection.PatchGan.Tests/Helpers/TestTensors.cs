using AnomalyDetection.Engine;
using AnomalyDetection.TestSupport;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Tests.Helpers;

/// <summary>Small CPU tensors for tests, reproducible from a seed.</summary>
internal static class TestTensors
{
    /// <summary>A float32 tensor of uniform values in [−1, 1).</summary>
    public static Tensor Random(int seed, params long[] shape) => RandomTensors.Uniform(seed, -1f, 1f, shape);

    /// <summary>A float32 tensor holding 0, 1, 2, … in row-major order.</summary>
    public static Tensor Counting(params long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        return TensorData.FromArray(Enumerable.Range(0, checked((int)count)).Select(i => (float)i).ToArray(), shape);
    }

    /// <summary>The values of a tensor, copied to a float array.</summary>
    public static float[] Values(Tensor tensor) => TensorData.ToArray(tensor);
}
