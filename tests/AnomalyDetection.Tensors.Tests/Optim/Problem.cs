using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Tensors.Tests.Optim;

/// <summary>The quadratic problem of <see cref="OptimizerTests"/>: loss = Σ w·p² + Σ c·p over 19 elements.</summary>
internal static class Problem
{
    public const int Size = 19;

    private static readonly Tensor W = Tensor.FromArray([.. Enumerable.Range(0, Size).Select(i => (float)(0.5 + (0.1 * i)))], Size);
    private static readonly Tensor C = Tensor.FromArray([.. Enumerable.Range(0, Size).Select(i => (float)((((i * 7) % 5) - 2) * 0.3))], Size);

    public static Tensor Start() => Tensor.FromArray([.. Enumerable.Range(0, Size).Select(i => (float)((i - 9) * 0.37))], Size).WithRequiresGrad();

    public static void Run(Optimizer optimizer, Tensor p, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            optimizer.ZeroGrad();
            ((W * p * p).Sum() + (C * p).Sum()).Backward();
            optimizer.Step();
        }
    }
}
