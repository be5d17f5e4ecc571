using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>Copies between managed float arrays and float32 tensors, on any device.</summary>
public static class TensorData
{
    /// <summary>A float32 CPU tensor holding a copy of <paramref name="values"/> with <paramref name="shape"/>.</summary>
    /// <param name="values">Row-major values; their count must equal the shape's product.</param>
    /// <param name="shape">The dimensions.</param>
    /// <exception cref="ArgumentException">The count does not match the shape.</exception>
    public static Tensor FromArray(float[] values, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(shape);
        var count = 1L;
        foreach (var d in shape)
        {
            count *= d;
        }

        if (count != values.Length)
        {
            throw new ArgumentException($"{values.Length} values do not fill a tensor of shape [{string.Join(", ", shape)}].", nameof(values));
        }

        return torch.tensor(values, shape, torch.ScalarType.Float32);
    }

    /// <summary>The values of <paramref name="tensor"/> in row-major order, copied to the CPU as float32.</summary>
    /// <param name="tensor">Any tensor; it is not changed.</param>
    public static float[] ToArray(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var cpu = tensor.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>The dimensions of <paramref name="tensor"/> as integers.</summary>
    /// <param name="tensor">The tensor.</param>
    public static int[] Shape(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return Array.ConvertAll(tensor.shape, d => checked((int)d));
    }
}
