namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>
/// Feeds inputs to a reader and checks that it either succeeds or throws one of the documented exception types, and
/// that no single input makes it allocate more than a bound (so a forged size cannot trigger a huge allocation).
/// </summary>
/// <remarks>Allocation is measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/>, so the reader must run
/// synchronously on the calling thread (every reader here does, on in-memory streams).</remarks>
public sealed class FuzzRun(string reader, long allocationBound, params Type[] documented)
{
    public int Inputs { get; private set; }

    public int Rejected { get; private set; }

    public int Accepted { get; private set; }

    public long MaxAllocated { get; private set; }

    public void Feed(byte[] input, string mutation, Action<byte[]> read)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            read(input);
            Accepted++;
        }
        catch (Exception ex) when (documented.Any(t => t.IsInstanceOfType(ex)))
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            Rejected++;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{reader} input {Inputs} ({mutation}, {input.Length} bytes) let {ex.GetType().Name} escape: {ex}");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        MaxAllocated = Math.Max(MaxAllocated, allocated);
        Assert.True(allocated <= allocationBound,
            $"{reader} input {Inputs} ({mutation}, {input.Length} bytes) allocated {allocated} bytes, more than the {allocationBound}-byte bound.");
        Inputs++;
    }

    public override string ToString() =>
        $"{reader}: {Inputs} inputs, {Rejected} rejected, {Accepted} accepted, at most {MaxAllocated / 1024} KiB allocated for one input";
}
