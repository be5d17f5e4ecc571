using System.Numerics.Tensors;
using AnomalyDetection.Tensors.Autograd;
using AnomalyDetection.Tensors.Kernels;

namespace AnomalyDetection.Tensors;

public static partial class Functional
{
    /// <summary>2-D convolution (cross-correlation, as in PyTorch) over an NCHW batch.</summary>
    /// <param name="input">Input of shape (N, C_in, H, W).</param>
    /// <param name="weight">Kernels of shape (C_out, C_in, kH, kW).</param>
    /// <param name="bias">Optional bias of shape (C_out).</param>
    /// <param name="stride">Step between kernel applications.</param>
    /// <param name="padding">Zero padding on each side.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <returns>Output of shape (N, C_out, H_out, W_out).</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together, or the kernel does not fit the padded input.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stride or dilation is below 1, or the padding is negative.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckConvArguments(nameof(Conv2d), input, weight, "(C_out, C_in, kH, kW)", stride, padding, dilation);
        var (n, cin, h, w) = (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]);
        var (cout, kh, kw) = (weight.Shape[0], weight.Shape[2], weight.Shape[3]);
        if (weight.Shape[1] != cin)
        {
            throw new ArgumentException(
                $"Conv2d: input {ShapeUtil.Format(input.Shape)} has {cin} channels but weight {ShapeUtil.Format(weight.Shape)} expects {weight.Shape[1]}.", nameof(weight));
        }

        CheckBias(nameof(Conv2d), bias, cout);
        var oh = ConvOutputSize(h, kh, stride, padding, dilation);
        var ow = ConvOutputSize(w, kw, stride, padding, dilation);
        if (oh < 1 || ow < 1)
        {
            throw new ArgumentException(
                $"Conv2d: the {kh}×{kw} kernel with dilation {dilation} does not fit the {h}×{w} input padded by {padding}.", nameof(weight));
        }

        return Convolve(input, weight, bias, new ConvGeometry(n, cin, h, w, cout, kh, kw, stride, padding, dilation, oh, ow));
    }

    /// <summary>2-D transposed convolution (the adjoint of <see cref="Conv2d"/> with respect to its input).</summary>
    /// <param name="input">Input of shape (N, C_in, H, W).</param>
    /// <param name="weight">Kernels of shape (C_in, C_out, kH, kW), as in PyTorch.</param>
    /// <param name="bias">Optional bias of shape (C_out).</param>
    /// <param name="stride">Up-sampling step.</param>
    /// <param name="padding">Implicit padding removed from each side of the output.</param>
    /// <param name="outputPadding">Extra rows and columns added to one side of the output.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <returns>Output of shape (N, C_out, (H−1)·stride − 2·padding + dilation·(kH−1) + outputPadding + 1, …).</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together, or the output would be empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size argument is out of range; <paramref name="outputPadding"/>
    /// must be smaller than the stride or the dilation.</exception>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckConvArguments(nameof(ConvTranspose2d), input, weight, "(C_in, C_out, kH, kW)", stride, padding, dilation);
        if (outputPadding < 0 || outputPadding >= Math.Max(stride, dilation))
        {
            throw new ArgumentOutOfRangeException(
                nameof(outputPadding), outputPadding, $"ConvTranspose2d: outputPadding must be in [0, max(stride, dilation)) = [0, {Math.Max(stride, dilation)}).");
        }

        var (n, cin, h, w) = (input.Shape[0], input.Shape[1], input.Shape[2], input.Shape[3]);
        var (cout, kh, kw) = (weight.Shape[1], weight.Shape[2], weight.Shape[3]);
        if (weight.Shape[0] != cin)
        {
            throw new ArgumentException(
                $"ConvTranspose2d: input {ShapeUtil.Format(input.Shape)} has {cin} channels but weight {ShapeUtil.Format(weight.Shape)} expects {weight.Shape[0]}.", nameof(weight));
        }

        CheckBias(nameof(ConvTranspose2d), bias, cout);
        var oh = ((h - 1) * stride) - (2 * padding) + (dilation * (kh - 1)) + outputPadding + 1;
        var ow = ((w - 1) * stride) - (2 * padding) + (dilation * (kw - 1)) + outputPadding + 1;
        if (oh < 1 || ow < 1)
        {
            throw new ArgumentException(
                $"ConvTranspose2d: input {ShapeUtil.Format(input.Shape)} with a {kh}×{kw} kernel, stride {stride} and padding {padding} gives an empty {oh}×{ow} output.", nameof(input));
        }

        // The convolution whose input gradient this is: it maps the (N, C_out, oh, ow) output back to the input.
        return ConvolveTransposed(input, weight, bias, new ConvGeometry(n, cout, oh, ow, cin, kh, kw, stride, padding, dilation, h, w));
    }

    /// <summary>y = conv(x, w) + bias. Differentiable any number of times: its gradients are the two ops below.</summary>
    internal static Tensor Convolve(Tensor x, Tensor w, Tensor? bias, ConvGeometry g)
    {
        var y = Tensor.Uninitialized(g.OutputShape);
        ConvGemm.Forward(g, x.Data, w.Data, y.Data);
        if (bias is not null)
        {
            AddChannelBias(y.Data, bias.Data, g.OutPlane);
        }

        return Tensor.ShouldRecord(x, w, bias) ? y.Record(new ConvolveBackward(x, w, bias, g)) : y;
    }

    /// <summary>z = ∂⟨gy, conv(x, w)⟩/∂x + bias: the transposed convolution of <paramref name="gy"/>, with x's shape.</summary>
    internal static Tensor ConvolveTransposed(Tensor gy, Tensor w, Tensor? bias, ConvGeometry g)
    {
        var z = Tensor.Zeros(g.InputShape);
        ConvGemm.BackwardInput(g, gy.Data, w.Data, z.Data);
        if (bias is not null)
        {
            AddChannelBias(z.Data, bias.Data, g.InPlane);
        }

        return Tensor.ShouldRecord(gy, w, bias) ? z.Record(new ConvolveTransposedBackward(gy, w, bias, g)) : z;
    }

    /// <summary>z = ∂⟨gy, conv(x, w)⟩/∂w, with w's shape.</summary>
    internal static Tensor ConvolveWeightGradient(Tensor x, Tensor gy, ConvGeometry g)
    {
        var z = Tensor.Uninitialized(g.WeightShape);
        ConvGemm.BackwardWeight(g, x.Data, gy.Data, z.Data);
        return Tensor.ShouldRecord(x, gy) ? z.Record(new ConvolveWeightGradientBackward(x, gy, g)) : z;
    }

    /// <summary>Sums an NCHW tensor over N, H and W, giving one value per channel: the bias gradient.</summary>
    internal static Tensor ChannelSum(Tensor t)
    {
        var (batch, channels) = (t.Shape[0], t.Shape[1]);
        var plane = t.Count / Math.Max(1, batch * channels);
        var result = new float[channels];
        var source = t.Data;
        Parallelism.For(channels, Math.Max(1, (1 << 16) / Math.Max(1, batch * plane)), (start, end) =>
        {
            for (var c = start; c < end; c++)
            {
                var total = 0f;
                for (var i = 0; i < batch; i++)
                {
                    total += TensorPrimitives.Sum(source.AsSpan(((i * channels) + c) * plane, plane));
                }

                result[c] = total;
            }
        });
        var sum = Tensor.FromArray(result, channels);
        return Tensor.ShouldRecord(t) ? sum.Record(new ChannelSumBackward(t)) : sum;
    }

    private static void AddChannelBias(float[] data, float[] bias, int plane)
    {
        var planes = data.Length / Math.Max(1, plane);
        Parallelism.For(planes, Math.Max(1, (1 << 16) / Math.Max(1, plane)), (start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                var span = data.AsSpan(p * plane, plane);
                TensorPrimitives.Add(span, bias[p % bias.Length], span);
            }
        });
    }

    private static int ConvOutputSize(int input, int kernel, int stride, int padding, int dilation)
    {
        var span = input + (2 * padding) - (dilation * (kernel - 1)) - 1;
        return span < 0 ? 0 : (span / stride) + 1;
    }

    private static void CheckConvArguments(string op, Tensor input, Tensor weight, string weightLayout, int stride, int padding, int dilation)
    {
        if (input.Rank != 4)
        {
            throw new ArgumentException($"{op} expects input of rank 4 (N, C, H, W) but got shape {ShapeUtil.Format(input.Shape)}.", nameof(input));
        }

        if (weight.Rank != 4)
        {
            throw new ArgumentException($"{op} expects weight of rank 4 {weightLayout} but got shape {ShapeUtil.Format(weight.Shape)}.", nameof(weight));
        }

        if (weight.Shape[2] < 1 || weight.Shape[3] < 1)
        {
            throw new ArgumentException($"{op} expects a kernel of at least 1×1 but got weight shape {ShapeUtil.Format(weight.Shape)}.", nameof(weight));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(dilation, 1);
    }

    private static void CheckBias(string op, Tensor? bias, int channels)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != channels))
        {
            throw new ArgumentException($"{op} expects a bias of shape [{channels}] but got shape {ShapeUtil.Format(bias.Shape)}.", nameof(bias));
        }
    }

    /// <summary>y = conv(x, w) + b: dx = convᵀ(g, w), dw = weight gradient of (x, g), db = per-channel sum of g.</summary>
    private sealed class ConvolveBackward(Tensor x, Tensor w, Tensor? bias, ConvGeometry g) : GradNode(x, w, bias)
    {
        public override Tensor?[] Backward(Tensor grad) =>
        [
            NeedsGradient(0) ? ConvolveTransposed(grad, Input(1), null, g) : null,
            NeedsGradient(1) ? ConvolveWeightGradient(Input(0), grad, g) : null,
            NeedsGradient(2) ? ChannelSum(grad) : null,
        ];
    }

    /// <summary>z = convᵀ(gy, w) + b is linear in gy and w: dgy = conv(g, w), dw = weight gradient of (g, gy), db = per-channel sum of g.</summary>
    private sealed class ConvolveTransposedBackward(Tensor gy, Tensor w, Tensor? bias, ConvGeometry g) : GradNode(gy, w, bias)
    {
        public override Tensor?[] Backward(Tensor grad) =>
        [
            NeedsGradient(0) ? Convolve(grad, Input(1), null, g) : null,
            NeedsGradient(1) ? ConvolveWeightGradient(grad, Input(0), g) : null,
            NeedsGradient(2) ? ChannelSum(grad) : null,
        ];
    }

    /// <summary>z = weight gradient of (x, gy) is bilinear: dx = convᵀ(gy, g), dgy = conv(x, g).</summary>
    private sealed class ConvolveWeightGradientBackward(Tensor x, Tensor gy, ConvGeometry g) : GradNode(x, gy)
    {
        public override Tensor?[] Backward(Tensor grad) =>
        [
            NeedsGradient(0) ? ConvolveTransposed(Input(1), grad, null, g) : null,
            NeedsGradient(1) ? Convolve(Input(0), grad, null, g) : null,
        ];
    }

    private sealed class ChannelSumBackward(Tensor t) : GradNode(t)
    {
        public override Tensor?[] Backward(Tensor grad)
        {
            var shape = Input(0).Shape;
            return [grad.Reshape(1, shape[1], 1, 1).BroadcastTo(shape)];
        }
    }
}
