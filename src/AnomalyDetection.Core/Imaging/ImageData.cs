using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Engine;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Imaging;

/// <summary>
/// An immutable 2-D image of float32 samples stored planar (channel-major, CHW), the layout of one NCHW tensor item.
/// </summary>
/// <remarks>
/// <para>Channels: 1 = gray, 2 = gray + alpha, 3 = RGB, 4 = RGBA. Sample (c, y, x) is at index
/// <c>(c * Height + y) * Width + x</c>; y grows downwards.</para>
/// <para>Decoders produce values in [0, 1] (the stored integer divided by the largest value its bit depth can hold)
/// and record that bit depth in <see cref="SourceBitDepth"/>. Preprocessing may produce any finite range, for example
/// [-1, 1].</para>
/// </remarks>
public sealed class ImageData
{
    private readonly float[] _pixels;

    /// <summary>Wraps <paramref name="pixels"/> without copying; the caller hands over ownership.</summary>
    internal ImageData(int width, int height, int channels, float[] pixels, int sourceBitDepth)
    {
        Debug.Assert(pixels.Length == (long)width * height * channels);
        Width = width;
        Height = height;
        Channels = channels;
        SourceBitDepth = sourceBitDepth;
        _pixels = pixels;
    }

    /// <summary>The number of columns.</summary>
    public int Width { get; }

    /// <summary>The number of rows.</summary>
    public int Height { get; }

    /// <summary>The number of channels: 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).</summary>
    public int Channels { get; }

    /// <summary>
    /// The bits per sample of the data this image was decoded from (1–16 for PNG and PNM, the datatype's width for
    /// NIfTI), or 32 for an image built from floats. Preprocessing keeps the value of its input.
    /// </summary>
    public int SourceBitDepth { get; }

    /// <summary><see cref="Width"/> × <see cref="Height"/>.</summary>
    public int PixelCount => Width * Height;

    /// <summary>Whether the last channel is alpha (2 or 4 channels).</summary>
    public bool HasAlpha => Channels is 2 or 4;

    /// <summary>All samples, planar: channel 0's rows, then channel 1's, and so on.</summary>
    public ReadOnlySpan<float> Pixels => _pixels;

    /// <summary>The sample of channel <paramref name="channel"/> at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    /// <param name="channel">The channel, in [0, <see cref="Channels"/>).</param>
    /// <param name="y">The row, in [0, <see cref="Height"/>).</param>
    /// <param name="x">The column, in [0, <see cref="Width"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the image.</exception>
    public float this[int channel, int y, int x]
    {
        get
        {
            CheckIndex(channel, Channels, nameof(channel));
            CheckIndex(y, Height, nameof(y));
            CheckIndex(x, Width, nameof(x));
            return _pixels[(((channel * Height) + y) * Width) + x];
        }
    }

    /// <summary>Internal access to the backing array for codecs and preprocessing, which never write to it.</summary>
    internal float[] Buffer => _pixels;

    /// <summary>Creates an image holding a copy of planar (CHW) samples.</summary>
    /// <param name="width">The number of columns, at least 1.</param>
    /// <param name="height">The number of rows, at least 1.</param>
    /// <param name="channels">1, 2, 3 or 4.</param>
    /// <param name="pixels">Channels × height × width samples, channel-major.</param>
    /// <param name="sourceBitDepth">The bit depth to record as the source's, in [1, 64].</param>
    /// <returns>The new image.</returns>
    /// <exception cref="ArgumentException">A size is out of range or <paramref name="pixels"/> has the wrong length.</exception>
    public static ImageData FromPlanar(int width, int height, int channels, ReadOnlySpan<float> pixels, int sourceBitDepth = 32)
    {
        CheckShape(width, height, channels, pixels.Length, sourceBitDepth);
        return new ImageData(width, height, channels, pixels.ToArray(), sourceBitDepth);
    }

    /// <summary>Creates an image from interleaved (HWC) samples, as most image libraries store them.</summary>
    /// <param name="width">The number of columns, at least 1.</param>
    /// <param name="height">The number of rows, at least 1.</param>
    /// <param name="channels">1, 2, 3 or 4.</param>
    /// <param name="pixels">Height × width × channels samples, pixel-major.</param>
    /// <param name="sourceBitDepth">The bit depth to record as the source's, in [1, 64].</param>
    /// <returns>The new image.</returns>
    /// <exception cref="ArgumentException">A size is out of range or <paramref name="pixels"/> has the wrong length.</exception>
    public static ImageData FromInterleaved(int width, int height, int channels, ReadOnlySpan<float> pixels, int sourceBitDepth = 32)
    {
        CheckShape(width, height, channels, pixels.Length, sourceBitDepth);
        var planar = new float[pixels.Length];
        var plane = width * height;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                planar[(c * plane) + i] = pixels[(i * channels) + c];
            }
        }

        return new ImageData(width, height, channels, planar, sourceBitDepth);
    }

    /// <summary>Creates an image from a tensor of shape [C, H, W] or [1, C, H, W] (copied).</summary>
    /// <param name="tensor">The tensor; C must be 1–4.</param>
    /// <returns>The new image, with <see cref="SourceBitDepth"/> 32.</returns>
    /// <exception cref="ArgumentException">The tensor's shape is not an image's.</exception>
    public static ImageData FromTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = TensorData.Shape(tensor);
        var offset = shape.Length == 4 && shape[0] == 1 ? 1 : 0;
        if (shape.Length - offset != 3)
        {
            throw new ArgumentException($"An image tensor must have shape [C, H, W] or [1, C, H, W], but got [{string.Join(", ", shape.ToArray())}].", nameof(tensor));
        }

        return FromPlanar(shape[offset + 2], shape[offset + 1], shape[offset], TensorData.ToArray(tensor));
    }

    /// <summary>Stacks images of one shape into a batch tensor of shape [N, C, H, W].</summary>
    /// <param name="images">At least one image; all must have the same width, height and channel count.</param>
    /// <returns>A new float32 CPU tensor holding copies of the samples.</returns>
    /// <exception cref="ArgumentException">The list is empty or the shapes differ.</exception>
    public static Tensor ToBatchTensor(IReadOnlyList<ImageData> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new ArgumentException("Cannot stack an empty list of images.", nameof(images));
        }

        var first = images[0];
        var itemSize = first._pixels.Length;
        var data = new float[checked(itemSize * images.Count)];
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.Width != first.Width || image.Height != first.Height || image.Channels != first.Channels)
            {
                throw new ArgumentException($"Image {i} is {image.Describe()} but image 0 is {first.Describe()}; a batch needs one shape.", nameof(images));
            }

            image._pixels.CopyTo(data, i * itemSize);
        }

        return TensorData.FromArray(data, images.Count, first.Channels, first.Height, first.Width);
    }

    /// <summary>The samples of one channel, row by row.</summary>
    /// <param name="channel">The channel, in [0, <see cref="Channels"/>).</param>
    /// <returns>A read-only view of <see cref="Width"/> × <see cref="Height"/> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is out of range.</exception>
    public ReadOnlySpan<float> Channel(int channel)
    {
        CheckIndex(channel, Channels, nameof(channel));
        return _pixels.AsSpan(channel * PixelCount, PixelCount);
    }

    /// <summary>Copies the samples in planar (CHW) order.</summary>
    /// <returns>A new array of <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/> samples.</returns>
    public float[] ToPlanarArray() => (float[])_pixels.Clone();

    /// <summary>Copies the samples in interleaved (HWC) order.</summary>
    /// <returns>A new array of <see cref="Height"/> × <see cref="Width"/> × <see cref="Channels"/> samples.</returns>
    public float[] ToInterleavedArray()
    {
        var plane = PixelCount;
        var interleaved = new float[_pixels.Length];
        for (var c = 0; c < Channels; c++)
        {
            for (var i = 0; i < plane; i++)
            {
                interleaved[(i * Channels) + c] = _pixels[(c * plane) + i];
            }
        }

        return interleaved;
    }

    /// <summary>Copies the samples into a tensor of shape [1, C, H, W].</summary>
    /// <returns>A new tensor.</returns>
    public Tensor ToTensor() => TensorData.FromArray(_pixels, 1, Channels, Height, Width);

    /// <summary>A new image of the same size and source bit depth holding <paramref name="pixels"/> (owned, not copied).</summary>
    internal ImageData WithPixels(int channels, float[] pixels) => new(Width, Height, channels, pixels, SourceBitDepth);

    /// <inheritdoc/>
    public override string ToString() => $"ImageData {Describe()}, {SourceBitDepth}-bit source";

    private string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Width}×{Height}×{Channels}");

    private static void CheckShape(int width, int height, int channels, int length, int sourceBitDepth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (channels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels.");
        }

        if (sourceBitDepth is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceBitDepth), sourceBitDepth, "The source bit depth must be in [1, 64].");
        }

        var expected = (long)width * height * channels;
        if (expected != length)
        {
            throw new ArgumentException($"A {width}×{height}×{channels} image needs {expected} samples, but {length} were given.", "pixels");
        }
    }

    private static void CheckIndex(int index, int size, string name)
    {
        if ((uint)index >= (uint)size)
        {
            throw new ArgumentOutOfRangeException(name, index, $"Must be in [0, {size}).");
        }
    }
}
