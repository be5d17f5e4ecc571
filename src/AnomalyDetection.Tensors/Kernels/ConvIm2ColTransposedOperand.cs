namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// im2col(x)ᵀ as the right operand of the weight-gradient GEMM (K = batch·output pixels, N = InChannels·taps),
/// gathered straight from the NCHW input while packing.
/// </summary>
internal readonly unsafe struct ConvIm2ColTransposedOperand(ConvGeometry geometry, float* input) : IGemmRightOperand
{
    public void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination)
    {
        var g = geometry;
        Debug.Assert(depth <= GemmMicroKernel.DepthBlock, "The driver never packs more than one depth block.");
        Span<ConvPixelRun> runs = stackalloc ConvPixelRun[GemmMicroKernel.DepthBlock];
        var count = ConvPixelRun.Split(g, k, depth, runs);
        for (var q = 0; q < columns; q += nr, destination += (nint)nr * depth)
        {
            var live = Math.Min(nr, columns - q);
            var channel = (column + q) / g.KernelArea;
            var kh = (column + q) % g.KernelArea / g.KernelWidth;
            var kw = (column + q) % g.KernelWidth;
            for (var j = 0; j < live; j++)
            {
                var plane = input + ((nint)channel * g.InPlane);
                foreach (var run in runs[..count])
                {
                    var d = destination + ((nint)run.Start * nr) + j;
                    var ih = run.RowOrigin + (kh * g.Dilation);
                    if ((uint)ih >= (uint)g.InHeight)
                    {
                        for (var t = 0; t < run.Length; t++)
                        {
                            d[(nint)t * nr] = 0f;
                        }

                        continue;
                    }

                    var row = plane + run.ImageOffset + ((nint)ih * g.InWidth);
                    ConvPixelRun.Gather(row, run.ColumnOrigin + (kw * g.Dilation), g.Stride, g.InWidth, run.Length, d, nr);
                }

                if (++kw == g.KernelWidth)
                {
                    kw = 0;
                    if (++kh == g.KernelHeight)
                    {
                        kh = 0;
                        channel++;
                    }
                }
            }

            for (var t = 0; t < depth && live < nr; t++)
            {
                new Span<float>(destination + ((nint)t * nr) + live, nr - live).Clear();
            }
        }
    }
}
