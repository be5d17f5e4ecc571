namespace AnomalyDetection.Imaging;

/// <summary>Turns [0, 1] samples into the integer levels an encoder stores.</summary>
internal static class SampleQuantizer
{
    /// <summary>Throws if any sample is NaN or infinite, naming the first such sample.</summary>
    /// <exception cref="ArgumentException">A sample is not finite.</exception>
    public static void RequireFinite(ImageData image)
    {
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            if (!float.IsFinite(pixels[i]))
            {
                var channel = i / image.PixelCount;
                var y = i % image.PixelCount / image.Width;
                var x = i % image.Width;
                throw new ArgumentException($"Sample (channel {channel}, row {y}, column {x}) is {pixels[i]}; only finite values can be encoded.", nameof(image));
            }
        }
    }

    /// <summary>
    /// The nearest of the levels 0..<paramref name="maxValue"/> to <paramref name="value"/> × <paramref name="maxValue"/>
    /// after clamping to [0, 1], halves rounding up. The product is formed in double, where it is exact, so that
    /// rounding depends on the value alone and not on float rounding of the product.
    /// </summary>
    public static int Quantize(float value, int maxValue) => (int)((Math.Clamp(value, 0f, 1f) * (double)maxValue) + 0.5);
}
