namespace AnomalyDetection.Benchmarks;

/// <summary>
/// One named measurement: <see cref="Prepare"/> allocates the inputs once and returns the action to time;
/// each of <see cref="References"/> tells the PyTorch worker how to build the same computation one way.
/// </summary>
internal sealed record BenchmarkCase(string Group, string Name, double Flops, IReadOnlyList<TorchReference> References, Func<Action> Prepare);

/// <summary>A PyTorch counterpart of a case: a label for the report and the worker's spec (see torch_reference.py).</summary>
internal sealed record TorchReference(string Label, string Spec);
