using TorchSharp;
using TorchSharp.Modules;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Engine;

/// <summary>
/// Adam (Kingma and Ba 2015) without weight decay or AMSGrad, in the order of operations of PyTorch's and TorchSharp's
/// <c>Adam</c>, so that it computes the same weights bit for bit. TorchSharp's <c>Adam</c> makes several temporary
/// scalars per parameter and step, which a garbage collection may free while LibTorch reads them (see
/// <see cref="HeldScalars"/>); this one holds its constants for its whole life and each step's for the step.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly AdamMoments[] _moments;
    private readonly Scalar _beta1;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private bool _disposed;

    /// <summary>Creates the optimizer with zero moments for every parameter.</summary>
    /// <param name="parameters">The parameters it updates, in a fixed order (checkpoints store the moments in it).</param>
    /// <param name="learningRate">The step size; positive.</param>
    /// <param name="beta1">The decay of the gradients' running average; in [0, 1).</param>
    /// <param name="beta2">The decay of the squared gradients' running average; in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator; non-negative. Defaults to PyTorch's 1e-8.</param>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        }

        foreach (var (beta, name) in new[] { (beta1, nameof(beta1)), (beta2, nameof(beta2)) })
        {
            if (!(beta >= 0 && beta < 1))
            {
                throw new ArgumentOutOfRangeException(name, beta, "A β of Adam must be in [0, 1).");
            }
        }

        if (!(epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be non-negative.");
        }

        _parameters = parameters.ToArray();
        using (torch.no_grad())
        {
            _moments = Array.ConvertAll(_parameters, p => new AdamMoments(torch.zeros_like(p).DetachFromDisposeScope(), torch.zeros_like(p).DetachFromDisposeScope()));
        }

        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        _beta1 = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2 = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
    }

    /// <summary>The step size.</summary>
    public double LearningRate { get; }

    /// <summary>The decay of the gradients' running average.</summary>
    public double Beta1 { get; }

    /// <summary>The decay of the squared gradients' running average.</summary>
    public double Beta2 { get; }

    /// <summary>Each parameter's state, in the order of the parameters given.</summary>
    public IReadOnlyList<AdamMoments> Moments => _moments;

    /// <summary>Sets every parameter's gradient to zero (gradients not yet computed stay absent).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient by one Adam step.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            var moments = _moments[i];
            moments.Step++;
            var firstCorrection = 1 - Math.Pow(Beta1, moments.Step);
            var secondCorrection = 1 - Math.Pow(Beta2, moments.Step);
            moments.Average.mul_(_beta1).add_(gradient, _oneMinusBeta1);
            moments.SquaredAverage.mul_(_beta2).addcmul_(gradient, gradient, _oneMinusBeta2);
            using var correction = Math.Sqrt(secondCorrection).ToScalar();
            using var stepSize = (-LearningRate / firstCorrection).ToScalar();
            var denominator = moments.SquaredAverage.sqrt().div_(correction).add_(_epsilon, HeldScalars.One);
            _parameters[i].addcdiv_(moments.Average, denominator, stepSize);
        }
    }

    /// <summary>Frees the moments and the held scalars.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var moments in _moments)
        {
            moments.Average.Dispose();
            moments.SquaredAverage.Dispose();
        }

        foreach (var scalar in new[] { _beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon })
        {
            scalar.Dispose();
        }
    }
}
