namespace AnomalyDetection.Reliability.Tests.Load;

/// <summary>
/// Tests that bound the growth of <see cref="GC.GetTotalMemory"/>, which counts the whole process: they run alone,
/// after the parallel tests, so that another test's allocations (reading an assembly's IL, for one) do not count as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagedMemoryCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Managed memory measurements";
}
