using System.Globalization;
using AnomalyDetection.Tensors.Optim;

namespace AnomalyDetection.Tensors.Serialization;

/// <summary>Saves and loads an optimiser's state as a safetensors file, so that training can resume bit for bit: its
/// buffers are stored as tensors, and its kind and scalars (learning rate, hyper-parameters, step counts) as
/// metadata, written in a round-trip format so the doubles come back exactly.</summary>
public static class OptimizerSerializationExtensions
{
    private const string KindKey = "optimizer";
    private const string ScalarPrefix = "scalar:";

    /// <summary>Writes the optimiser's state to a file, atomically.</summary>
    /// <param name="optimizer">The optimiser.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="cancellationToken">Cancels the write; the file is then left as it was.</param>
    public static Task SaveStateAsync(this Optimizer optimizer, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.StateDict();
        return SafeTensors.SaveAsync(path, state.Tensors, Metadata(state), cancellationToken);
    }

    /// <summary>Writes the optimiser's state to <paramref name="stream"/>.</summary>
    /// <param name="optimizer">The optimiser.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task SaveStateAsync(this Optimizer optimizer, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var state = optimizer.StateDict();
        return SafeTensors.SaveAsync(stream, state.Tensors, Metadata(state), cancellationToken);
    }

    /// <summary>Reads a state written by <c>SaveStateAsync</c> from a file into the optimiser.</summary>
    /// <param name="optimizer">The optimiser, of the same type and settings over parameters of the same shapes.</param>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file is malformed or holds no optimiser state.</exception>
    /// <exception cref="ArgumentException">The state does not fit the optimiser.</exception>
    public static async Task LoadStateAsync(this Optimizer optimizer, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LoadStateDict(ToState(await SafeTensors.LoadAsync(path, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Reads a state written by <c>SaveStateAsync</c> from <paramref name="stream"/> into the optimiser.</summary>
    /// <param name="optimizer">The optimiser, of the same type and settings over parameters of the same shapes.</param>
    /// <param name="stream">A readable stream, left open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The data is malformed or holds no optimiser state.</exception>
    /// <exception cref="ArgumentException">The state does not fit the optimiser.</exception>
    public static async Task LoadStateAsync(this Optimizer optimizer, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LoadStateDict(ToState(await SafeTensors.LoadAsync(stream, cancellationToken).ConfigureAwait(false)));
    }

    private static Dictionary<string, string> Metadata(OptimizerState state)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [KindKey] = state.Kind };
        foreach (var (name, value) in state.Scalars)
        {
            metadata[ScalarPrefix + name] = value.ToString("R", CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    private static OptimizerState ToState(SafeTensorsContent content)
    {
        if (!content.Metadata.TryGetValue(KindKey, out var kind) || string.IsNullOrEmpty(kind))
        {
            throw new InvalidDataException($"The file holds no optimizer state: its metadata lacks '{KindKey}'.");
        }

        var state = new OptimizerState(kind);
        foreach (var (key, text) in content.Metadata)
        {
            if (!key.StartsWith(ScalarPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"The optimizer state's '{key}' is '{text}', not a number.");
            }

            state.Scalars[key[ScalarPrefix.Length..]] = value;
        }

        foreach (var (key, tensor) in content.Tensors)
        {
            state.Tensors[key] = tensor;
        }

        return state;
    }
}
