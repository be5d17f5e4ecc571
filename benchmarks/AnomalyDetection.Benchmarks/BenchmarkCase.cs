namespace AnomalyDetection.Benchmarks;

/// <summary>
/// One named measurement: <see cref="Prepare"/> allocates the inputs once and returns the action to time;
/// <see cref="TorchSpec"/> tells the PyTorch worker how to build the same computation (null when it has none).
/// </summary>
internal sealed record BenchmarkCase(string Group, string Name, double Flops, string? TorchSpec, Func<Action> Prepare);
