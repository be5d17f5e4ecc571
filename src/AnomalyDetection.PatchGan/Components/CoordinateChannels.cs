using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Components;

/// <summary>
/// Appends each pixel's normalised coordinates to a feature map as constant channels (CoordConv, Liu et al. 2018):
/// the row, then the column, each running linearly from −1 at the first pixel to +1 at the last, and optionally the
/// distance from the centre √(row² + column²).
/// </summary>
/// <remarks>An axis of length 1 gets the coordinate 0. The channels are the same for every batch item.</remarks>
/// <param name="withRadius">Whether to append the distance from the centre as a third channel.</param>
public sealed class CoordinateChannels(bool withRadius = false) : Module<Tensor, Tensor>
{
    /// <summary>Whether the distance from the centre is appended.</summary>
    public bool WithRadius { get; } = withRadius;

    /// <summary>The number of channels appended: 2, or 3 with the radius.</summary>
    public int EncodingChannels => WithRadius ? 3 : 2;

    /// <summary>The coordinate channels for a <paramref name="height"/> × <paramref name="width"/> grid.</summary>
    /// <param name="height">Rows of the grid.</param>
    /// <param name="width">Columns of the grid.</param>
    /// <returns>A constant tensor of shape (1, <see cref="EncodingChannels"/>, height, width).</returns>
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

        return Tensor.FromArray(code, 1, EncodingChannels, height, width);
    }

    /// <summary>Appends the coordinate channels after the input's channels.</summary>
    /// <param name="input">Features of shape (N, C, H, W).</param>
    /// <returns>Features of shape (N, C + <see cref="EncodingChannels"/>, H, W).</returns>
    public override Tensor Forward(Tensor input)
    {
        ComponentInputGuard.CheckImage(input, null, nameof(CoordinateChannels));
        var code = Encode(input.Size(2), input.Size(3)).BroadcastTo([input.Size(0), EncodingChannels, input.Size(2), input.Size(3)]);
        return Tensor.Concat([input, code], 1);
    }

    private static float Normalised(int index, int length) => length == 1 ? 0f : -1f + (2f * index / (length - 1));
}
