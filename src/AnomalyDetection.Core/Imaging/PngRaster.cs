using System.Buffers.Binary;

namespace AnomalyDetection.Imaging;

/// <summary>
/// Turns decompressed PNG scanlines into planar float samples: reverses the filters, unpacks sub-byte and 16-bit
/// samples, looks palette indices up, and turns tRNS data into an alpha channel.
/// </summary>
internal sealed class PngRaster
{
    private readonly PngHeader _header;
    private readonly string? _path;
    private readonly float[]? _palette;
    private readonly int[]? _transparentKey;
    private readonly float _maxValue;
    private readonly float[] _pixels;

    /// <param name="header">The image header.</param>
    /// <param name="palette">The PLTE body (RGB triples) of a palette image, else null.</param>
    /// <param name="transparency">The tRNS body (palette alphas, or a gray/RGB key of 16-bit values), else null.</param>
    /// <param name="path">The file name for error messages.</param>
    public PngRaster(PngHeader header, byte[]? palette, byte[]? transparency, string? path)
    {
        _header = header;
        _path = path;
        _maxValue = (1 << header.BitDepth) - 1;
        var hasTransparency = transparency is not null;
        if (palette is not null)
        {
            _palette = new float[palette.Length / 3 * 4];
            for (var i = 0; i < _palette.Length / 4; i++)
            {
                _palette[(i * 4) + 0] = palette[i * 3] / 255f;
                _palette[(i * 4) + 1] = palette[(i * 3) + 1] / 255f;
                _palette[(i * 4) + 2] = palette[(i * 3) + 2] / 255f;
                _palette[(i * 4) + 3] = transparency is not null && i < transparency.Length ? transparency[i] / 255f : 1f;
            }
        }
        else if (transparency is not null)
        {
            _transparentKey = new int[transparency.Length / 2];
            for (var i = 0; i < _transparentKey.Length; i++)
            {
                _transparentKey[i] = BinaryPrimitives.ReadUInt16BigEndian(transparency.AsSpan(2 * i));
            }
        }

        Channels = header.ColorType switch
        {
            PngColorType.Gray => hasTransparency ? 2 : 1,
            PngColorType.GrayAlpha => 2,
            PngColorType.Rgb or PngColorType.Palette => hasTransparency ? 4 : 3,
            _ => 4,
        };
        _pixels = new float[(long)header.Width * header.Height * Channels];
    }

    /// <summary>The output channel count.</summary>
    public int Channels { get; }

    /// <summary>Unfilters the scanlines of <paramref name="pass"/> starting at <paramref name="offset"/> in
    /// <paramref name="raw"/> (in place) and stores their pixels; returns the offset after the pass.</summary>
    public int Read(byte[] raw, int offset, PngPass pass)
    {
        var rowBytes = (int)_header.RowBytes(pass.Width);
        var zeros = new byte[rowBytes];
        var samples = new int[pass.Width * _header.SamplesPerPixel];
        for (var row = 0; row < pass.Height; row++)
        {
            var filter = raw[offset];
            var current = raw.AsSpan(offset + 1, rowBytes);
            ReadOnlySpan<byte> prior = row == 0 ? zeros : raw.AsSpan(offset - rowBytes, rowBytes);
            if (!PngFilters.TryUnfilter(filter, current, prior, _header.FilterStride))
            {
                throw new InvalidImageException(_path, $"scanline {row} uses filter type {filter}; PNG defines only 0 to 4.");
            }

            Unpack(current, samples);
            Store(samples, pass, pass.StartY + (row * pass.StepY));
            offset += 1 + rowBytes;
        }

        return offset;
    }

    /// <summary>The finished image; call after every pass is read.</summary>
    public ImageData ToImage() => new(_header.Width, _header.Height, Channels, _pixels, _header.BitDepth);

    private void Unpack(ReadOnlySpan<byte> row, int[] samples)
    {
        switch (_header.BitDepth)
        {
            case 8:
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = row[i];
                }

                break;
            case 16:
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadUInt16BigEndian(row[(2 * i)..]);
                }

                break;
            default:
                // Sub-byte samples are packed from the most significant bit.
                var depth = _header.BitDepth;
                var mask = (1 << depth) - 1;
                for (var i = 0; i < samples.Length; i++)
                {
                    var bit = i * depth;
                    samples[i] = (row[bit >> 3] >> (8 - depth - (bit & 7))) & mask;
                }

                break;
        }
    }

    private void Store(int[] samples, PngPass pass, int y)
    {
        var plane = _header.Width * _header.Height;
        var spp = _header.SamplesPerPixel;
        for (var i = 0; i < pass.Width; i++)
        {
            var x = pass.StartX + (i * pass.StepX);
            var at = (y * _header.Width) + x;
            var s = i * spp;
            if (_palette is not null)
            {
                var index = samples[s];
                if (index * 4 >= _palette.Length)
                {
                    throw new InvalidImageException(_path, $"pixel ({x}, {y}) uses palette index {index}, but the palette has {_palette.Length / 4} entries.");
                }

                for (var c = 0; c < Channels; c++)
                {
                    _pixels[(c * plane) + at] = _palette[(index * 4) + c];
                }

                continue;
            }

            for (var c = 0; c < spp; c++)
            {
                _pixels[(c * plane) + at] = samples[s + c] / _maxValue;
            }

            if (_transparentKey is not null)
            {
                _pixels[(spp * plane) + at] = samples.AsSpan(s, spp).SequenceEqual(_transparentKey) ? 0f : 1f;
            }
        }
    }
}
