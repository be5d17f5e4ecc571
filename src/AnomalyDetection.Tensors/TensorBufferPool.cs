namespace AnomalyDetection.Tensors;

/// <summary>
/// Recycles the storage of gradients that a backward pass has proven dead, so that a training loop's next forward
/// and backward reuse warm arrays instead of allocating fresh ones (each a first-touch page fault and, above 85 KB,
/// a large-object-heap allocation that only a full collection frees).
/// </summary>
/// <remarks>
/// <para>Only <see cref="Autograd.BackwardEngine"/> returns arrays, and only arrays that were handed out during that
/// same pass (see <see cref="Pass"/>), that no pending gradient still references, and that can no longer reach user
/// code: a first-order pass that neither retains its graph nor captures gradients hands leaves copies. Everything
/// else the pool gives out is simply owned by its new tensor, so renting is safe anywhere.</para>
/// <para>Free arrays are held through weak references: the pool never keeps memory alive past the next full
/// collection, and a process that stops training gives it all back.</para>
/// </remarks>
internal static class TensorBufferPool
{
    /// <summary>Smaller arrays are cheap young-generation allocations; pooling them would cost more than it saves.</summary>
    internal const int MinimumLength = 16 * 1024;

    /// <summary>Free arrays kept per length; more would only pile up dead references for lengths rarely rented.</summary>
    private const int MaxFreePerLength = 32;

    private static readonly Dictionary<int, Stack<WeakReference<float[]>>> Free = [];
    private static readonly Lock Gate = new();

    [ThreadStatic]
    private static Pass? _current;

    /// <summary>How many rentals on this thread were served from the pool, so that tests can see recycling happen.</summary>
    [ThreadStatic]
    internal static long ReusedOnThisThread;

    /// <summary>
    /// Whether arrays are recycled; on unless the application sets the AppContext switch
    /// <c>AnomalyDetection.Tensors.DisableBufferPool</c>. Results are identical either way.
    /// </summary>
    internal static bool IsEnabled { get; set; } =
        !(AppContext.TryGetSwitch("AnomalyDetection.Tensors.DisableBufferPool", out var disabled) && disabled);

    /// <summary>An array of <paramref name="length"/> elements with arbitrary contents.</summary>
    public static float[] Rent(int length)
    {
        var array = length >= MinimumLength && IsEnabled ? TakeFree(length) : null;
        array ??= GC.AllocateUninitializedArray<float>(length);
        _current?.Track(array);
        return array;
    }

    /// <summary>An array of <paramref name="length"/> zeros.</summary>
    public static float[] RentCleared(int length)
    {
        if (length < MinimumLength || !IsEnabled)
        {
            return new float[length];
        }

        var array = Rent(length);
        Array.Clear(array);
        return array;
    }

    private static float[]? TakeFree(int length)
    {
        lock (Gate)
        {
            if (Free.TryGetValue(length, out var stack))
            {
                while (stack.TryPop(out var entry))
                {
                    if (entry.TryGetTarget(out var array))
                    {
                        ReusedOnThisThread++;
                        return array;
                    }
                }
            }
        }

        return null;
    }

    private static void Return(float[] array)
    {
        if (array.Length < MinimumLength || !IsEnabled)
        {
            return;
        }

        lock (Gate)
        {
            if (!Free.TryGetValue(array.Length, out var stack))
            {
                Free[array.Length] = stack = new Stack<WeakReference<float[]>>();
            }

            if (stack.Count < MaxFreePerLength)
            {
                stack.Push(new WeakReference<float[]>(array));
            }
        }
    }

    /// <summary>
    /// The bookkeeping of one backward pass on the current thread: which arrays were handed out during the pass, and
    /// how many pending gradients hold each. An array handed out during the pass that no pending gradient holds any
    /// more is dead, and goes back to the pool.
    /// </summary>
    internal sealed class Pass : IDisposable
    {
        private readonly HashSet<float[]> _rented = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<float[], int> _holders = new(ReferenceEqualityComparer.Instance);
        private readonly Pass? _outer;

        private Pass()
        {
            _outer = _current;
            _current = this;
        }

        /// <summary>Starts tracking on this thread, or returns null when pooling is off.</summary>
        public static Pass? Begin() => IsEnabled ? new Pass() : null;

        /// <summary>Records that a pending gradient now holds <paramref name="tensor"/>'s storage.</summary>
        public void Hold(Tensor tensor) => _holders[tensor.Data] = _holders.GetValueOrDefault(tensor.Data) + 1;

        /// <summary>Records that a pending gradient no longer holds <paramref name="tensor"/>'s storage.</summary>
        public void Drop(Tensor tensor)
        {
            var count = _holders[tensor.Data] - 1;
            if (count == 0)
            {
                _holders.Remove(tensor.Data);
            }
            else
            {
                _holders[tensor.Data] = count;
            }
        }

        /// <summary>Returns <paramref name="tensor"/>'s storage to the pool when this pass handed it out and nothing holds it.</summary>
        public void RecycleIfDead(Tensor? tensor)
        {
            if (tensor is not null && !_holders.ContainsKey(tensor.Data) && _rented.Remove(tensor.Data))
            {
                Return(tensor.Data);
            }
        }

        public void Dispose() => _current = _outer;

        internal void Track(float[] array)
        {
            if (array.Length >= MinimumLength)
            {
                _rented.Add(array);
            }
        }
    }
}
