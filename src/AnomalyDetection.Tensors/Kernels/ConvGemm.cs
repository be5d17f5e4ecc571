using System.Buffers;
using System.Numerics.Tensors;

namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The three convolution products as implicit GEMMs over NCHW buffers (see <see cref="ConvGeometry"/>).</summary>
internal static unsafe class ConvGemm
{
    /// <summary>
    /// Up to this depth (C_in · taps: a grayscale first layer, say) the per-panel gather set-up of the implicit
    /// packing outweighs the little arithmetic it feeds, so im2col is built explicitly instead.
    /// </summary>
    private const int ExplicitIm2ColDepth = 32;

    /// <summary>The floats of one explicit im2col chunk (1 MiB), a whole number of images at a time.</summary>
    private const int ExplicitIm2ColChunk = 1 << 18;

    /// <summary>y = conv(x, w); every element of <paramref name="y"/> is overwritten.</summary>
    public static void Forward(in ConvGeometry g, float[] x, float[] w, float[] y)
    {
        fixed (float* px = x, pw = w, py = y)
        {
            if (g.PatchSize is > 0 and <= ExplicitIm2ColDepth && g.OutColumns > 0)
            {
                ForwardExplicit(g, px, pw, py);
                return;
            }

            Gemm.Run(
                GemmMatrix.Strided(pw, g.PatchSize, 1), new ConvIm2ColOperand(g, px), GemmMatrix.ChannelMajor(py, g.OutChannels, g.OutPlane),
                g.OutChannels, g.OutColumns, g.PatchSize, 1f, 0f);
        }
    }

    private static void ForwardExplicit(in ConvGeometry g, float* x, float* w, float* y)
    {
        var images = Math.Clamp(ExplicitIm2ColChunk / (g.PatchSize * g.OutPlane), 1, g.Batch);
        var buffer = ArrayPool<float>.Shared.Rent(g.PatchSize * images * g.OutPlane);
        try
        {
            fixed (float* columns = buffer)
            {
                for (var n = 0; n < g.Batch; n += images)
                {
                    var width = Math.Min(images, g.Batch - n) * g.OutPlane;
                    Im2Col(g, x + ((nint)n * g.InChannels * g.InPlane), width, columns);
                    Gemm.Run(
                        GemmMatrix.Strided(w, g.PatchSize, 1), GemmMatrix.Strided(columns, width, 1),
                        GemmMatrix.ChannelMajor(y + ((nint)n * g.OutChannels * g.OutPlane), g.OutChannels, g.OutPlane),
                        g.OutChannels, width, g.PatchSize, 1f, 0f);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes im2col of the images at <paramref name="x"/> as a PatchSize × <paramref name="width"/> row-major matrix.</summary>
    private static void Im2Col(in ConvGeometry g, float* x, int width, float* columns)
    {
        for (var row = 0; row < g.PatchSize; row++)
        {
            var plane = x + ((nint)(row / g.KernelArea) * g.InPlane);
            var dy = (row % g.KernelArea / g.KernelWidth * g.Dilation) - g.Padding;
            var origin = (row % g.KernelWidth * g.Dilation) - g.Padding;
            var (first, end) = ConvPixelRun.ValidSteps(origin, g.Stride, g.InWidth, g.OutWidth);
            var destination = columns + ((nint)row * width);
            for (var line = 0; line < width / g.OutWidth; line++, destination += g.OutWidth)
            {
                var ih = (line % g.OutHeight * g.Stride) + dy;
                var image = line / g.OutHeight;
                new Span<float>(destination, g.OutWidth).Clear();
                if ((uint)ih < (uint)g.InHeight)
                {
                    var source = plane + ((nint)image * g.InChannels * g.InPlane) + ((nint)ih * g.InWidth) + origin;
                    for (var t = first; t < end; t++)
                    {
                        destination[t] = source[(nint)t * g.Stride];
                    }
                }
            }
        }
    }

    /// <summary>gx += ∂⟨gy, conv(x, w)⟩/∂x, which is also the transposed convolution of gy; <paramref name="gx"/> starts zeroed.</summary>
    public static void BackwardInput(in ConvGeometry g, float[] gy, float[] w, float[] gx)
    {
        if (FlippedGeometry(g) is { } flipped)
        {
            BackwardInputAsConvolution(g, flipped, gy, w, gx);
            return;
        }

        fixed (float* pgy = gy, pw = w, pgx = gx)
        {
            Gemm.Run(
                GemmMatrix.Strided(pw, 1, g.PatchSize), GemmMatrix.ChannelMajor(pgy, g.OutChannels, g.OutPlane), new ConvCol2ImOutput(g, pgx),
                g.PatchSize, g.OutColumns, g.OutChannels, 1f, 0f);
        }
    }

    /// <summary>
    /// With stride 1 the input gradient is itself a convolution, of gy with the kernels transposed (C_in ↔ C_out) and
    /// rotated by 180°, padded by dilation·(k − 1) − padding: that runs as a forward GEMM, with no col2im scatter.
    /// Null when the geometry does not allow it (stride above 1, non-square kernels, padding beyond the kernel span).
    /// </summary>
    private static ConvGeometry? FlippedGeometry(in ConvGeometry g)
    {
        var padding = (g.Dilation * (g.KernelHeight - 1)) - g.Padding;
        return g.Stride == 1 && g.KernelHeight == g.KernelWidth && padding >= 0
            ? new ConvGeometry(
                g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, g.KernelHeight, g.KernelWidth,
                1, padding, g.Dilation, g.InHeight, g.InWidth)
            : null;
    }

    private static void BackwardInputAsConvolution(in ConvGeometry g, in ConvGeometry flipped, float[] gy, float[] w, float[] gx)
    {
        var taps = g.KernelArea;
        var rotated = ArrayPool<float>.Shared.Rent(w.Length);
        try
        {
            for (var co = 0; co < g.OutChannels; co++)
            {
                for (var ci = 0; ci < g.InChannels; ci++)
                {
                    var source = w.AsSpan(((co * g.InChannels) + ci) * taps, taps);
                    var destination = rotated.AsSpan(((ci * g.OutChannels) + co) * taps, taps);
                    for (var t = 0; t < taps; t++)
                    {
                        destination[t] = source[taps - 1 - t];
                    }
                }
            }

            Forward(flipped, gy, rotated, gx);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rotated);
        }
    }

    /// <summary>gw = ∂⟨gy, conv(x, w)⟩/∂w; every element of <paramref name="gw"/> is overwritten.</summary>
    public static void BackwardWeight(in ConvGeometry g, float[] x, float[] gy, float[] gw)
    {
        var chunks = Math.Min(Parallelism.ThreadCount, g.Batch);
        if (chunks > 1 && (long)g.OutChannels * g.PatchSize * 4 <= g.OutColumns && 2.0 * g.OutChannels * g.PatchSize * g.OutColumns >= Gemm.ParallelFlops)
        {
            BackwardWeightSplitBatch(g, x, gy, gw, chunks);
            return;
        }

        fixed (float* px = x, pgy = gy, pgw = gw)
        {
            Gemm.Run(
                GemmMatrix.ChannelMajor(pgy, g.OutChannels, g.OutPlane), new ConvIm2ColTransposedOperand(g, px), GemmMatrix.Strided(pgw, g.PatchSize, 1),
                g.OutChannels, g.PatchSize, g.OutColumns, 1f, 0f);
        }
    }

    /// <summary>
    /// A small weight gradient reduced over many pixels (a first layer, say) leaves too few rows and columns to split,
    /// and every thread would pack the whole im2col: instead each thread reduces over its own images into its own
    /// buffer, and the buffers are added in a fixed order.
    /// </summary>
    private static void BackwardWeightSplitBatch(ConvGeometry g, float[] x, float[] gy, float[] gw, int chunks)
    {
        var size = gw.Length;
        var partials = ArrayPool<float>.Shared.Rent((chunks - 1) * size);
        var kernel = GemmMicroKernel.For(g.OutChannels, g.PatchSize);
        try
        {
            Parallelism.For(chunks, 1, (start, end) =>
            {
                for (var chunk = start; chunk < end; chunk++)
                {
                    var first = g.Batch * chunk / chunks;
                    var part = g with { Batch = (g.Batch * (chunk + 1) / chunks) - first };
                    fixed (float* px = x, pgy = gy, pgw = gw, pp = partials)
                    {
                        var target = chunk == 0 ? pgw : pp + ((nint)(chunk - 1) * size);
                        Gemm.Run(
                            GemmMatrix.ChannelMajor(pgy + ((nint)first * g.OutChannels * g.OutPlane), g.OutChannels, g.OutPlane),
                            new ConvIm2ColTransposedOperand(part, px + ((nint)first * g.InChannels * g.InPlane)),
                            GemmMatrix.Strided(target, g.PatchSize, 1),
                            g.OutChannels, g.PatchSize, part.OutColumns, 1f, 0f, kernel, threaded: false);
                    }
                }
            });
            for (var chunk = 1; chunk < chunks; chunk++)
            {
                TensorPrimitives.Add(gw, partials.AsSpan((chunk - 1) * size, size), gw);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }
}
