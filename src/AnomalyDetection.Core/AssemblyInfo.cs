using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("AnomalyDetection.Conformance.Tests")]

// Plotting draws Core's images with Skia and shares Core's gray-to-RGB rendering instead of repeating it.
[assembly: InternalsVisibleTo("AnomalyDetection.Plotting")]
