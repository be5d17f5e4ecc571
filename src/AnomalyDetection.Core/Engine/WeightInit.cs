using AnomalyDetection.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using Module = TorchSharp.torch.nn.Module;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// PyTorch's default initialisation of convolutions, linear layers and affine norms, drawn from a seeded
/// <see cref="RandomSource"/> instead of LibTorch's process-wide generator: a detector's seed alone fixes its initial
/// weights, on any device and whatever other detectors in the process do.
/// </summary>
public static class WeightInit
{
    /// <summary>Re-initialises every layer of <paramref name="module"/> (itself included), in registration order.</summary>
    /// <param name="module">The module; its parameters are overwritten.</param>
    /// <param name="random">The source the values are drawn from.</param>
    public static void ResetParameters(Module module, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(random);
        using var noGrad = torch.no_grad();
        // TorchSharp's modules() lists the descendants only; a lone layer must be initialised too.
        foreach (var layer in module.modules().Prepend(module))
        {
            switch (layer)
            {
                case Conv2d conv:
                    KaimingUniformDefault(conv.weight!, conv.bias, random);
                    break;
                case ConvTranspose2d deconv:
                    KaimingUniformDefault(deconv.weight!, deconv.bias, random);
                    break;
                case Linear linear:
                    KaimingUniformDefault(linear.weight!, linear.bias, random);
                    break;
                case InstanceNorm2d or HeldBatchNorm2d or GroupNorm or LayerNorm:
                    foreach (var (name, parameter) in layer.named_parameters(recurse: false))
                    {
                        HeldScalars.With(name == "weight" ? 1 : 0, value => parameter.fill_(value));
                    }

                    break;
            }
        }
    }

    /// <summary>Fills <paramref name="tensor"/> uniformly in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="tensor">The tensor to overwrite.</param>
    /// <param name="low">The lower bound.</param>
    /// <param name="high">The upper bound.</param>
    /// <param name="random">The source the values are drawn from.</param>
    public static void Uniform(Tensor tensor, double low, double high, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(random);
        if (tensor.device_type == DeviceType.META)
        {
            // A network built on the meta device has shapes only (see LayerDevice): there is nothing to fill, and
            // drawing its values would allocate what the meta device exists to avoid.
            return;
        }

        var values = new float[tensor.numel()];
        random.FillUniform(values, (float)low, (float)high);
        using var noGrad = torch.no_grad();
        using var source = TensorData.FromArray(values, tensor.shape);
        tensor.copy_(source);
    }

    /// <summary>PyTorch's default for weights, kaiming_uniform(a = √5), and biases, U(±1/√fan_in).</summary>
    private static void KaimingUniformDefault(Tensor weight, Tensor? bias, RandomSource random)
    {
        var fanIn = weight.shape.Length < 2 ? 0 : weight.shape[1] * weight.shape[2..].Aggregate(1L, (a, b) => a * b);
        // gain(leaky_relu, √5) · √(3 / fan_in) = √(2 / (1 + 5)) · √(3 / fan_in) = 1 / √fan_in.
        var bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
        Uniform(weight, -bound, bound, random);
        if (bias is not null)
        {
            Uniform(bias, -bound, bound, random);
        }
    }
}
