namespace AnomalyDetection.Randomness;

/// <summary>
/// A seeded pseudo-random source (xoshiro256**) whose sequence depends only on the seed, never on the platform or
/// runtime version, so that a seed reproduces initialisation, shuffling and augmentation bit for bit.
/// </summary>
/// <remarks>Not thread-safe: give each thread its own source, for example through <see cref="Fork"/>.</remarks>
public sealed class RandomSource
{
    private ulong _s0, _s1, _s2, _s3;
    private float? _spareNormal;

    /// <summary>Creates a source from a 64-bit seed.</summary>
    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public RandomSource(long seed)
    {
        var x = (ulong)seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float uniform in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A double uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    /// <param name="minInclusive">The smallest value.</param>
    /// <param name="maxExclusive">One past the largest value; must exceed <paramref name="minInclusive"/>.</param>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, $"Must be greater than minInclusive ({minInclusive}).");
        }

        var range = (ulong)((long)maxExclusive - minInclusive);
        var limit = ulong.MaxValue - (ulong.MaxValue % range);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);

        return (int)(minInclusive + (long)(r % range));
    }

    /// <summary>A standard normal value (Box–Muller).</summary>
    public float NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u1;
        do
        {
            u1 = NextDouble();
        }
        while (u1 <= double.Epsilon);

        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = (float)(radius * Math.Sin(2 * Math.PI * u2));
        return (float)(radius * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fills <paramref name="destination"/> with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="destination">The span to fill.</param>
    /// <param name="low">Inclusive lower bound.</param>
    /// <param name="high">Exclusive upper bound.</param>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        var scale = high - low;
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = low + (scale * NextSingle());
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal values.</summary>
    /// <param name="destination">The span to fill.</param>
    /// <param name="mean">The mean.</param>
    /// <param name="std">The standard deviation.</param>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = mean + (std * NextNormal());
        }
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The items to shuffle.</param>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(0, i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>The source's current position, for <see cref="Restore"/> (training checkpoints store it).</summary>
    public RandomSourceState Capture() => new(_s0, _s1, _s2, _s3, _spareNormal);

    /// <summary>Moves the source to a position from <see cref="Capture"/>; the draws that follow repeat those that
    /// followed the capture.</summary>
    /// <param name="state">A captured position.</param>
    /// <exception cref="ArgumentException">All four state words are zero, a state xoshiro256** never reaches.</exception>
    public void Restore(RandomSourceState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("A random source state cannot have all four words zero; it was not captured from a RandomSource.", nameof(state));
        }

        (_s0, _s1, _s2, _s3, _spareNormal) = (state.S0, state.S1, state.S2, state.S3, state.SpareNormal);
    }

    /// <summary>A new independent source seeded from this one (for a worker thread or a sub-task).</summary>
    public RandomSource Fork() => new((long)NextUInt64());

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
