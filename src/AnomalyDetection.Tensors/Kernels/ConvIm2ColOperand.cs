namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// im2col(x) as the right operand of the forward GEMM (K = InChannels·taps, N = batch·output pixels), gathered
/// straight from the NCHW input while packing, so no column buffer is ever built.
/// </summary>
internal readonly unsafe struct ConvIm2ColOperand(ConvGeometry geometry, float* input) : IGemmRightOperand
{
    public void PackColumnPanels(int k, int depth, int column, int columns, int nr, float* destination)
    {
        var g = geometry;
        Span<ConvPixelRun> runs = stackalloc ConvPixelRun[nr];
        for (var q = 0; q < columns; q += nr, destination += (nint)nr * depth)
        {
            var live = Math.Min(nr, columns - q);
            var count = ConvPixelRun.Split(g, column + q, live, runs);
            var channel = k / g.KernelArea;
            var kh = k % g.KernelArea / g.KernelWidth;
            var kw = k % g.KernelWidth;
            for (var t = 0; t < depth; t++)
            {
                var d = destination + ((nint)t * nr);
                var plane = input + ((nint)channel * g.InPlane);
                foreach (var run in runs[..count])
                {
                    var ih = run.RowOrigin + (kh * g.Dilation);
                    if ((uint)ih >= (uint)g.InHeight)
                    {
                        new Span<float>(d + run.Start, run.Length).Clear();
                        continue;
                    }

                    var row = plane + run.ImageOffset + ((nint)ih * g.InWidth);
                    ConvPixelRun.Gather(row, run.ColumnOrigin + (kw * g.Dilation), g.Stride, g.InWidth, run.Length, d + run.Start, 1);
                }

                new Span<float>(d + live, nr - live).Clear();
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
        }
    }
}
