namespace AnomalyDetection.Tensors.Kernels;

/// <summary>
/// Static work partitioning over a fixed number of threads. A range is always split into the same chunks for a
/// given <see cref="ThreadCount"/>, so results that depend on summation order are reproducible run to run.
/// </summary>
public static class Parallelism
{
    private static int _threadCount = Environment.ProcessorCount;

    /// <summary>The number of threads kernels use; defaults to the processor count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public static int ThreadCount
    {
        get => _threadCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _threadCount = value;
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, <paramref name="count"/>) in at most <see cref="ThreadCount"/>
    /// contiguous chunks; runs inline when the work is smaller than <paramref name="minPerThread"/> items per thread.
    /// </summary>
    internal static void For(int count, int minPerThread, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }

        var chunks = Math.Min(_threadCount, Math.Max(1, count / Math.Max(1, minPerThread)));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var start = (int)((long)count * c / chunks);
            var end = (int)((long)count * (c + 1) / chunks);
            body(start, end);
        });
    }
}
