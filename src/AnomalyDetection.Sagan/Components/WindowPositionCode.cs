using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Components;

/// <summary>
/// SAGAN's position code for image windows: the window's index n in binary, most significant bit first, with
/// ⌊log₂(windows)⌋ + 1 bits (3 bits for a 2×2 grid: 0 → 000, 1 → 001, 2 → 010, 3 → 011; the top bit is always 0, and
/// kept for parity with the reference). It is a fixed code, not a learned embedding; <see cref="PositionCodeFusion"/>
/// feeds it to a network as constant channels.
/// </summary>
public static class WindowPositionCode
{
    /// <summary>The number of bits for <paramref name="windows"/> windows: ⌊log₂(windows)⌋ + 1.</summary>
    /// <param name="windows">Windows per image, at least 1.</param>
    public static int BitCount(int windows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windows);
        return int.Log2(windows) + 1;
    }

    /// <summary>The codes of every window of a batch made by <see cref="WindowPatches.Patchify"/>: row b·windows + n holds the
    /// bits of n.</summary>
    /// <param name="batch">Images in the batch.</param>
    /// <param name="windows">Windows per image (grid²).</param>
    /// <param name="device">Where the codes are made; the CPU when null.</param>
    /// <returns>A float32 tensor of shape (batch·windows, <see cref="BitCount"/>) of 0s and 1s.</returns>
    public static Tensor Codes(int batch, int windows = 4, torch.Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        var bits = BitCount(windows);
        var codes = new float[checked(batch * windows * bits)];
        for (var row = 0; row < batch * windows; row++)
        {
            var n = row % windows;
            for (var k = 0; k < bits; k++)
            {
                codes[(row * bits) + k] = (n >> (bits - 1 - k)) & 1;
            }
        }

        var cpu = TensorData.FromArray(codes, batch * windows, bits);
        if (device is null || device.type == DeviceType.CPU)
        {
            return cpu;
        }

        using (cpu)
        {
            return cpu.to(device);
        }
    }
}
