using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>Lane masks for the AVX-512 masked loads and stores of the convolution packing and scatter.</summary>
internal static class Avx512LaneMask
{
    /// <summary>A vector whose lane i has all bits set when bit i of <paramref name="bits"/> is set.</summary>
    public static Vector512<float> FromBits(uint bits)
    {
        var lanes = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        return Vector512.Equals(Vector512.Create((int)bits) & lanes, lanes).AsSingle();
    }

    /// <summary>Spreads the low 16 bits of <paramref name="bits"/> to the even bit positions (bit i → bit 2i).</summary>
    public static uint SpreadToEven(uint bits)
    {
        if (Bmi2.IsSupported)
        {
            return Bmi2.ParallelBitDeposit(bits, 0x55555555u);
        }

        var spread = 0u;
        for (var i = 0; i < 16; i++)
        {
            spread |= ((bits >> i) & 1u) << (2 * i);
        }

        return spread;
    }
}
