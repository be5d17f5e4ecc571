using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("AnomalyDetection.Conformance.Tests")]
