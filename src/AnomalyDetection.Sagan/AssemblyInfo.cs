using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("AnomalyDetection.Conformance.Tests")]

// The timing console drives the trainer's iteration directly, as the PyTorch timing script does.
[assembly: InternalsVisibleTo("AnomalyDetection.Sagan.Benchmarks")]
