using System.Globalization;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using AnomalyDetection.Serialization;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Detection;

/// <summary>
/// A training checkpoint: weights, optimiser states, random source positions and progress values in one safetensors
/// file, stamped with a format name and a fingerprint of the run's settings and data. <see cref="Save"/> writes it
/// atomically, so a crash leaves the previous checkpoint intact; <see cref="Resume{T}"/> refuses a checkpoint of another
/// format, settings or data, or a damaged one, with an <see cref="InvalidCheckpointException"/> instead of continuing a
/// different run from it.
/// </summary>
/// <remarks>Tensors and values are named by the trainer; a name prefix (such as <c>generator.</c>) groups those of one
/// network or optimiser.</remarks>
public sealed class TrainingCheckpoint
{
    private const string FormatKey = "format";
    private const string FingerprintKey = "fingerprint";
    private const string KindSuffix = "kind";

    private readonly Dictionary<string, Tensor> _tensors;
    private readonly Dictionary<string, string> _values;

    /// <summary>Creates an empty checkpoint to fill and <see cref="Save"/>.</summary>
    public TrainingCheckpoint()
    {
        _tensors = new(StringComparer.Ordinal);
        _values = new(StringComparer.Ordinal);
    }

    private TrainingCheckpoint(SafeTensorsContent content)
    {
        _tensors = new(content.Tensors, StringComparer.Ordinal);
        _values = new(content.Metadata, StringComparer.Ordinal);
    }

    /// <summary>
    /// Loads the checkpoint at <paramref name="path"/>, checks that it has the given format and fingerprint, and lets
    /// <paramref name="restore"/> copy it into the run.
    /// </summary>
    /// <typeparam name="T">What <paramref name="restore"/> returns (the trainer's progress).</typeparam>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="format">The format name the trainer writes, with a version.</param>
    /// <param name="fingerprint">The fingerprint of this run's settings and data.</param>
    /// <param name="restore">Copies the checkpoint into the networks, optimisers and random source.</param>
    /// <returns>What <paramref name="restore"/> returned.</returns>
    /// <exception cref="InvalidCheckpointException">The file is empty, truncated or damaged, is a checkpoint of another
    /// format, settings or data, or does not fit the run (missing values, other shapes); the message names the file,
    /// the problem (for other settings, each setting that differs) and says how to start afresh.</exception>
    public static T Resume<T>(string path, string format, string fingerprint, Func<TrainingCheckpoint, T> restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        var checkpoint = new TrainingCheckpoint(Read(path));
        if (!checkpoint._values.TryGetValue(FormatKey, out var saved) || saved != format)
        {
            throw new InvalidCheckpointException(path, saved is null
                ? $"is not a training checkpoint of format '{format}'"
                : $"was written by another detector or version (format '{saved}'; this run reads '{format}')", null);
        }

        if (!checkpoint._values.TryGetValue(FingerprintKey, out var savedFingerprint) || savedFingerprint != fingerprint)
        {
            throw new InvalidCheckpointException(path, $"was written by a run with other settings or data ({FingerprintDifference(savedFingerprint ?? "", fingerprint)})", null);
        }

        try
        {
            return restore(checkpoint);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FormatException or OverflowException or ArgumentException or StateDictMismatchException)
        {
            throw new InvalidCheckpointException(path, $"does not fit this run: {ex.Message.TrimEnd('.')}", ex);
        }
    }

    /// <summary>Writes the checkpoint atomically (a temporary file renamed over <paramref name="path"/>), creating its folder.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="format">The format name, checked by <see cref="Resume{T}"/>.</param>
    /// <param name="fingerprint">The fingerprint of the run's settings and data, checked by <see cref="Resume{T}"/>.</param>
    public void Save(string path, string format, string fingerprint)
    {
        _values[FormatKey] = format;
        _values[FingerprintKey] = fingerprint;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SafeTensors.Save(path, _tensors, _values);
    }

    /// <summary>Stores tensors (a module's state dict, a copy of weights) under <paramref name="prefix"/>.</summary>
    /// <param name="prefix">The prefix of their names.</param>
    /// <param name="tensors">The tensors by name.</param>
    public void AddTensors(string prefix, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (name, tensor) in tensors)
        {
            _tensors[prefix + name] = tensor;
        }
    }

    /// <summary>The tensors stored under <paramref name="prefix"/>, by their names without it.</summary>
    /// <param name="prefix">The prefix given to <see cref="AddTensors"/>.</param>
    /// <returns>The tensors; empty when there are none.</returns>
    public Dictionary<string, Tensor> Tensors(string prefix)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in _tensors)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                result[name[prefix.Length..]] = tensor;
            }
        }

        return result;
    }

    /// <summary>Adds the state of an Adam optimizer (step counts and both moment estimates of every parameter).</summary>
    /// <param name="prefix">Groups the optimizer's entries, for example <c>optimizer.</c>.</param>
    /// <param name="optimizer">The optimizer; its state is copied to the CPU.</param>
    public void AddOptimizer(string prefix, AdamOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var states = optimizer.Moments;
        SetValue(prefix + KindSuffix, "adam");
        SetValue(prefix + "count", states.Count);
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            var key = prefix + i.ToString(CultureInfo.InvariantCulture) + ".";
            SetValue(key + "step", state.Step);
            _tensors[key + "exp_avg"] = state.Average.detach().cpu().clone();
            _tensors[key + "exp_avg_sq"] = state.SquaredAverage.detach().cpu().clone();
        }
    }

    /// <summary>Restores an Adam optimizer's state saved by <see cref="AddOptimizer"/> into one built over the same parameters.</summary>
    /// <param name="prefix">The prefix given to <see cref="AddOptimizer"/>.</param>
    /// <param name="optimizer">The optimizer to overwrite.</param>
    /// <exception cref="KeyNotFoundException">An entry is missing.</exception>
    /// <exception cref="FormatException">The saved state is of another optimizer or parameter count.</exception>
    public void RestoreOptimizer(string prefix, AdamOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (GetText(prefix + KindSuffix) != "adam")
        {
            throw new FormatException($"'{prefix}' holds the state of a '{GetText(prefix + KindSuffix)}' optimizer, not Adam.");
        }

        var states = optimizer.Moments;
        if (GetInt64(prefix + "count") != states.Count)
        {
            throw new FormatException($"'{prefix}' holds the state of {GetInt64(prefix + "count")} parameters, but the optimizer has {states.Count}.");
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < states.Count; i++)
        {
            var state = states[i];
            var key = prefix + i.ToString(CultureInfo.InvariantCulture) + ".";
            var average = _tensors[key + "exp_avg"];
            var squares = _tensors[key + "exp_avg_sq"];
            if (!average.shape.SequenceEqual(state.Average.shape) || !squares.shape.SequenceEqual(state.SquaredAverage.shape))
            {
                throw new FormatException($"'{key}' holds moments of shape [{string.Join(", ", average.shape)}], but the parameter is [{string.Join(", ", state.Average.shape)}].");
            }

            state.Step = GetInt64(key + "step");
            state.Average.copy_(average);
            state.SquaredAverage.copy_(squares);
        }
    }

    /// <summary>Stores a random source's position under <paramref name="key"/>.</summary>
    /// <param name="key">The value's name.</param>
    /// <param name="random">The source.</param>
    public void AddRandomSource(string key, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var state = random.Capture();
        var words = string.Join(',', new[] { state.S0, state.S1, state.S2, state.S3 }.Select(w => w.ToString("x16", CultureInfo.InvariantCulture)));
        _values[key] = state.SpareNormal is { } spare
            ? words + "," + BitConverter.SingleToUInt32Bits(spare).ToString("x8", CultureInfo.InvariantCulture)
            : words;
    }

    /// <summary>Moves <paramref name="random"/> to the position stored under <paramref name="key"/>.</summary>
    /// <param name="key">The name given to <see cref="AddRandomSource"/>.</param>
    /// <param name="random">The source to move.</param>
    public void RestoreRandomSource(string key, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var parts = _values[key].Split(',');
        if (parts.Length is not (4 or 5))
        {
            throw new FormatException($"The random source state '{key}' has {parts.Length} parts instead of 4 or 5.");
        }

        var words = parts.Select(p => ulong.Parse(p, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)).ToArray();
        float? spare = parts.Length == 5 ? BitConverter.UInt32BitsToSingle(uint.Parse(parts[4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)) : null;
        random.Restore(new RandomSourceState(words[0], words[1], words[2], words[3], spare));
    }

    /// <summary>Stores a permutation (such as an epoch's data order) under <paramref name="key"/>.</summary>
    /// <param name="key">The value's name.</param>
    /// <param name="permutation">The indices 0 … n − 1 in some order.</param>
    public void SetPermutation(string key, ReadOnlySpan<int> permutation)
    {
        var parts = new string[permutation.Length];
        for (var i = 0; i < permutation.Length; i++)
        {
            parts[i] = permutation[i].ToString(CultureInfo.InvariantCulture);
        }

        _values[key] = string.Join(',', parts);
    }

    /// <summary>The permutation of 0 … <paramref name="count"/> − 1 stored under <paramref name="key"/>.</summary>
    /// <param name="key">The name given to <see cref="SetPermutation"/>.</param>
    /// <param name="count">The number of indices the run expects.</param>
    /// <returns>The indices.</returns>
    /// <exception cref="FormatException">The value is not a permutation of 0 … <paramref name="count"/> − 1.</exception>
    public int[] GetPermutation(string key, int count)
    {
        var text = _values[key];
        int[] indices = text.Length == 0 ? [] : [.. text.Split(',').Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture))];
        if (indices.Length != count)
        {
            throw new FormatException($"'{key}' holds {indices.Length} indices instead of {count}.");
        }

        var seen = new bool[count];
        foreach (var index in indices)
        {
            if (index >= count || seen[index])
            {
                throw new FormatException($"'{key}' is not an order of the {count} indices 0 to {count - 1}.");
            }

            seen[index] = true;
        }

        return indices;
    }

    /// <summary>Stores a text value.</summary>
    /// <param name="key">The value's name.</param>
    /// <param name="value">The value.</param>
    public void SetValue(string key, string value) => _values[key] = value;

    /// <summary>Stores a number exactly (round-trip text).</summary>
    /// <param name="key">The value's name.</param>
    /// <param name="value">The value.</param>
    public void SetValue(string key, double value) => _values[key] = value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Stores an integer.</summary>
    /// <param name="key">The value's name.</param>
    /// <param name="value">The value.</param>
    public void SetValue(string key, long value) => _values[key] = value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text stored under <paramref name="key"/>.</summary>
    /// <param name="key">The value's name.</param>
    /// <returns>The text.</returns>
    /// <exception cref="KeyNotFoundException">No such value.</exception>
    public string GetText(string key) => _values[key];

    /// <summary>The integer stored under <paramref name="key"/>.</summary>
    /// <param name="key">The value's name.</param>
    /// <returns>The integer.</returns>
    public long GetInt64(string key) => long.Parse(_values[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>The number stored under <paramref name="key"/>, or null when there is none.</summary>
    /// <param name="key">The value's name.</param>
    /// <returns>The number, or null.</returns>
    public double? GetDoubleOrNull(string key) => _values.TryGetValue(key, out var text) ? ParseDouble(text) : null;

    /// <summary>Stores every number of <paramref name="values"/> under <paramref name="prefix"/> (such as the latest losses).</summary>
    /// <param name="prefix">The prefix of their names.</param>
    /// <param name="values">The numbers by name.</param>
    public void SetValues(string prefix, IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (name, value) in values)
        {
            SetValue(prefix + name, value);
        }
    }

    /// <summary>The numbers stored under <paramref name="prefix"/> by <see cref="SetValues"/>, by their names without it.</summary>
    /// <param name="prefix">The prefix of their names.</param>
    /// <returns>The numbers.</returns>
    public Dictionary<string, double> GetValues(string prefix) =>
        Values(prefix).ToDictionary(p => p.Key, p => ParseDouble(p.Value), StringComparer.Ordinal);

    private IEnumerable<KeyValuePair<string, string>> Values(string prefix) =>
        _values.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => KeyValuePair.Create(p.Key[prefix.Length..], p.Value));

    /// <summary>Reads the file, naming it as a checkpoint when it is empty or not a whole safetensors file (a disk
    /// that filled up, a copy cut short); saves are atomic, so a crash of this library does not leave one.</summary>
    private static SafeTensorsContent Read(string path)
    {
        if (new FileInfo(path).Length == 0)
        {
            throw new InvalidCheckpointException(path, "is empty (0 bytes)", null);
        }

        try
        {
            return SafeTensors.Load(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidCheckpointException(path, $"is truncated or damaged ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>The settings that differ between two fingerprints (<c>name=value;…</c>), as
    /// "size 64 in the checkpoint, 32 in this run"; the whole fingerprints when they are not of that form.</summary>
    private static string FingerprintDifference(string saved, string current)
    {
        var before = Settings(saved);
        var now = Settings(current);
        if (before is null || now is null)
        {
            return $"checkpoint '{saved}', this run '{current}'";
        }

        var differences = now.Keys.Union(before.Keys)
            .Where(k => before.GetValueOrDefault(k) != now.GetValueOrDefault(k))
            .Select(k => $"{k} {before.GetValueOrDefault(k) ?? "unset"} in the checkpoint, {now.GetValueOrDefault(k) ?? "unset"} in this run");
        return string.Join("; ", differences);
    }

    private static Dictionary<string, string>? Settings(string fingerprint)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in fingerprint.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !settings.TryAdd(part[..equals], part[(equals + 1)..]))
            {
                return null;
            }
        }

        return settings;
    }

    private static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
