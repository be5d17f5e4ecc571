using AnomalyDetection.Components;
using AnomalyDetection.Engine;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.PatchGan.Components;

/// <summary>
/// Appends each pixel's normalised coordinates to a feature map as constant channels (CoordConv, Liu et al. 2018):
/// the row, then the column, each running linearly from −1 at the first pixel to +1 at the last, and optionally the
/// distance from the centre √(row² + column²).
/// </summary>
/// <remarks>An axis of length 1 gets the coordinate 0. The channels are the same for every batch item. The module has
/// no parameters or buffers: the code is built for each input's size, on its device.</remarks>
public sealed class CoordinateChannels : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="withRadius">Whether to append the distance from the centre as a third channel.</param>
    public CoordinateChannels(bool withRadius = false)
        : base(nameof(CoordinateChannels))
    {
        WithRadius = withRadius;
        RegisterComponents();
    }

    /// <summary>Whether the distance from the centre is appended.</summary>
    public bool WithRadius { get; }

    /// <summary>The number of channels appended: 2, or 3 with the radius.</summary>
    public int EncodingChannels => WithRadius ? 3 : 2;

    /// <summary>The coordinate channels for a <paramref name="height"/> × <paramref name="width"/> grid.</summary>
    /// <param name="height">Rows of the grid.</param>
    /// <param name="width">Columns of the grid.</param>
    /// <returns>A constant float32 CPU tensor of shape (1, <see cref="EncodingChannels"/>, height, width).</returns>
    public Tensor Encode(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        var plane = height * width;
        var code = new float[EncodingChannels * plane];
        for (var y = 0; y < height; y++)
        {
            var row = Normalised(y, height);
            for (var x = 0; x < width; x++)
            {
                var column = Normalised(x, width);
                var at = (y * width) + x;
                code[at] = row;
                code[plane + at] = column;
                if (WithRadius)
                {
                    code[(2 * plane) + at] = MathF.Sqrt((row * row) + (column * column));
                }
            }
        }

        return TensorData.FromArray(code, 1, EncodingChannels, height, width);
    }

    /// <summary>Appends the coordinate channels after the input's channels.</summary>
    /// <param name="input">Features of shape (N, C, H, W).</param>
    /// <returns>Features of shape (N, C + <see cref="EncodingChannels"/>, H, W), of the input's type and device.</returns>
    public override Tensor forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, null, nameof(CoordinateChannels));
        long n = input.shape[0], h = input.shape[2], w = input.shape[3];
        using var code = Encode(checked((int)h), checked((int)w));
        var placed = code.to(input.dtype, input.device).expand(n, EncodingChannels, h, w);
        return torch.cat([input, placed], 1);
    }

    private static float Normalised(int index, int length) => length == 1 ? 0f : -1f + (2f * index / (length - 1));
}
