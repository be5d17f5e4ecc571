using System.Text.Json.Serialization;

namespace AnomalyDetection.Calibration;

/// <summary>
/// Empirical p-values against the normal validation scores: p(s) = (1 + #{normal scores ≥ s}) / (n + 1), the
/// conformal p-value, which makes no assumption about the distribution's shape. If test and validation scores of
/// normal images are exchangeable, flagging p ≤ α has a false-alarm rate of at most α.
/// </summary>
public sealed record EmpiricalPValueModel : PValueModel
{
    private readonly double[] _sorted;

    /// <summary>Creates the model from normal validation scores, in any order.</summary>
    /// <param name="normalScores">At least one finite score.</param>
    /// <exception cref="ArgumentException">There are no scores, or one is not finite.</exception>
    [JsonConstructor]
    public EmpiricalPValueModel(IReadOnlyList<double> normalScores)
    {
        ArgumentNullException.ThrowIfNull(normalScores);
        if (normalScores.Count == 0)
        {
            throw new ArgumentException("Empirical p-values need at least one normal score.", nameof(normalScores));
        }

        _sorted = [.. normalScores];
        for (var i = 0; i < _sorted.Length; i++)
        {
            if (!double.IsFinite(_sorted[i]))
            {
                throw new ArgumentException($"Normal scores must be finite, but the value at index {i} is {_sorted[i]}.", nameof(normalScores));
            }
        }

        Array.Sort(_sorted);
    }

    /// <summary>The normal validation scores in ascending order.</summary>
    public IReadOnlyList<double> NormalScores => _sorted;

    /// <inheritdoc/>
    /// <returns>(1 + #{normal scores ≥ <paramref name="score"/>}) / (n + 1), in [1 / (n + 1), 1].</returns>
    public override double PValue(double score) => PValueOfCount(_sorted.Length - LowerBound(score));

    /// <inheritdoc/>
    /// <remarks>With n normal scores the smallest p-value is 1 / (n + 1), so rates below it cannot be attained.
    /// The threshold lies just above the (k + 1)-th largest normal score, where k is the largest count with
    /// (1 + k) / (n + 1) ≤ <paramref name="falseAlarmRate"/>.</remarks>
    public override double ThresholdForFalseAlarmRate(double falseAlarmRate)
    {
        RequireRate(falseAlarmRate);
        var n = _sorted.Length;
        if (PValueOfCount(0) > falseAlarmRate)
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmRate), falseAlarmRate,
                $"With {n} normal scores the smallest empirical p-value is 1/{n + 1} = {PValueOfCount(0)}; use more normal scores or a parametric model for this false-alarm rate.");
        }

        // Estimate k, then settle it with the same arithmetic PValue uses so the two always agree.
        var k = Math.Clamp((int)Math.Floor(falseAlarmRate * (n + 1)) - 1, 0, n - 1);
        while (k > 0 && PValueOfCount(k) > falseAlarmRate)
        {
            k--;
        }

        while (k + 1 < n && PValueOfCount(k + 1) <= falseAlarmRate)
        {
            k++;
        }

        // A score strictly above the (k + 1)-th largest has at most k normal scores at or above it.
        return Math.BitIncrement(_sorted[n - 1 - k]);
    }

    /// <inheritdoc/>
    public bool Equals(EmpiricalPValueModel? other) =>
        other is not null && _sorted.AsSpan().SequenceEqual(other._sorted);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var score in _sorted)
        {
            hash.Add(score);
        }

        return hash.ToHashCode();
    }

    private double PValueOfCount(int countAtOrAbove) => (1.0 + countAtOrAbove) / (_sorted.Length + 1.0);

    // The index of the first sorted score ≥ value (the length if none).
    private int LowerBound(double value)
    {
        int low = 0, high = _sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_sorted[middle] < value)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
