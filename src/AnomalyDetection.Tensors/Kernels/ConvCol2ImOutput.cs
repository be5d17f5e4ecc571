namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// The output of the input-gradient GEMM Wᵀ·gy (M = InChannels·taps, N = batch·output pixels): every tile is
/// scatter-added (col2im) straight into the NCHW input gradient, which the caller zeroes first. Beta is ignored:
/// the scatter always accumulates.
/// </summary>
/// <remarks>
/// Different taps of one channel, and different pixels of one image, add into the same input elements, so threads
/// may only split between channels or between images.
/// </remarks>
internal readonly unsafe struct ConvCol2ImOutput(ConvGeometry geometry, float* inputGradient) : IGemmOutput
{
    public int RowGrain => geometry.KernelArea;

    public int ColumnGrain => geometry.OutPlane;

    /// <summary>The scatter costs about as much as a quarter-block of arithmetic on small maps: take up to 1024 deep.</summary>
    public int DepthBlock => 4 * GemmMicroKernel.DepthBlock;

    public float* TileAddress(int row, int column, int nr, out nint rowStride)
    {
        rowStride = 0;
        return null;
    }

    public void StoreTile(float* tile, int tileStride, int row, int column, int rows, int columns, float alpha, float beta)
    {
        var g = geometry;
        Span<ConvPixelRun> runs = stackalloc ConvPixelRun[columns];
        var count = ConvPixelRun.Split(g, column, columns, runs);
        var channel = row / g.KernelArea;
        var kh = row % g.KernelArea / g.KernelWidth;
        var kw = row % g.KernelWidth;
        for (var r = 0; r < rows; r++)
        {
            var values = tile + ((nint)r * tileStride);
            var plane = inputGradient + ((nint)channel * g.InPlane);
            foreach (var run in runs[..count])
            {
                var ih = run.RowOrigin + (kh * g.Dilation);
                if ((uint)ih < (uint)g.InHeight)
                {
                    var target = plane + run.ImageOffset + ((nint)ih * g.InWidth);
                    ConvPixelRun.ScatterAdd(target, run.ColumnOrigin + (kw * g.Dilation), g.Stride, g.InWidth, run.Length, values + run.Start, alpha);
                }
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
    }
}
