namespace AnomalyDetection.Tensors.Kernels;

/// <summary>The three convolution products as implicit GEMMs over NCHW buffers (see <see cref="ConvGeometry"/>).</summary>
internal static unsafe class ConvGemm
{
    /// <summary>y = conv(x, w); every element of <paramref name="y"/> is overwritten.</summary>
    public static void Forward(in ConvGeometry g, float[] x, float[] w, float[] y)
    {
        fixed (float* px = x, pw = w, py = y)
        {
            Gemm.Run(
                GemmMatrix.Strided(pw, g.PatchSize, 1), new ConvIm2ColOperand(g, px), GemmMatrix.ChannelMajor(py, g.OutChannels, g.OutPlane),
                g.OutChannels, g.OutColumns, g.PatchSize, 1f, 0f);
        }
    }

    /// <summary>gx += ∂⟨gy, conv(x, w)⟩/∂x, which is also the transposed convolution of gy; <paramref name="gx"/> starts zeroed.</summary>
    public static void BackwardInput(in ConvGeometry g, float[] gy, float[] w, float[] gx)
    {
        fixed (float* pgy = gy, pw = w, pgx = gx)
        {
            Gemm.Run(
                GemmMatrix.Strided(pw, 1, g.PatchSize), GemmMatrix.ChannelMajor(pgy, g.OutChannels, g.OutPlane), new ConvCol2ImOutput(g, pgx),
                g.PatchSize, g.OutColumns, g.OutChannels, 1f, 0f);
        }
    }

    /// <summary>gw = ∂⟨gy, conv(x, w)⟩/∂w; every element of <paramref name="gw"/> is overwritten.</summary>
    public static void BackwardWeight(in ConvGeometry g, float[] x, float[] gy, float[] gw)
    {
        fixed (float* px = x, pgy = gy, pgw = gw)
        {
            Gemm.Run(
                GemmMatrix.ChannelMajor(pgy, g.OutChannels, g.OutPlane), new ConvIm2ColTransposedOperand(g, px), GemmMatrix.Strided(pgw, g.PatchSize, 1),
                g.OutChannels, g.PatchSize, g.OutColumns, 1f, 0f);
        }
    }
}
