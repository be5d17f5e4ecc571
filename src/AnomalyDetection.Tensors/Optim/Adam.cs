namespace AnomalyDetection.Tensors.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba), PyTorch's <c>torch.optim.Adam</c>: bias-corrected first and second moment estimates, with
/// optional L2 weight decay added to the gradient. For decoupled weight decay use <see cref="AdamW"/>.
/// </summary>
/// <example><code>var optimizer = new Adam(generator.Parameters(), learningRate: 2e-4, beta1: 0.5);</code></example>
public sealed class Adam : AdamBase
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="parameters">The tensors to update.</param>
    /// <param name="learningRate">The step size.</param>
    /// <param name="beta1">Decay of the first-moment average, in [0, 1).</param>
    /// <param name="beta2">Decay of the second-moment average, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator for stability.</param>
    /// <param name="weightDecay">L2 penalty: weightDecay·p is added to the gradient.</param>
    public Adam(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }
}
