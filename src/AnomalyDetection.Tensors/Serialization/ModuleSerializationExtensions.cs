using AnomalyDetection.Tensors.NN;

namespace AnomalyDetection.Tensors.Serialization;

/// <summary>Saves and loads a module's state dictionary as a safetensors file, whose tensor names are the module's
/// dotted names, so the file opens in PyTorch (<c>safetensors.torch.load_file</c>) with the same keys.</summary>
public static class ModuleSerializationExtensions
{
    /// <summary>Writes the module's parameters and persistent buffers to <paramref name="stream"/>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    public static void Save(this Module module, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(stream, module.StateDict(), metadata);
    }

    /// <summary>Writes the module's parameters and persistent buffers to <paramref name="stream"/>.</summary>
    /// <param name="module">The module.</param>
    /// <param name="stream">A writable stream, left open.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static Task SaveAsync(this Module module, Stream stream, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        return SafeTensors.SaveAsync(stream, module.StateDict(), metadata, cancellationToken);
    }

    /// <summary>Writes the module's parameters and persistent buffers to a file, atomically.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    public static void Save(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        SafeTensors.Save(path, module.StateDict(), metadata);
    }

    /// <summary>Writes the module's parameters and persistent buffers to a file, atomically.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional string pairs stored in the header.</param>
    /// <param name="cancellationToken">Cancels the write; the file is then left as it was.</param>
    public static Task SaveAsync(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        return SafeTensors.SaveAsync(path, module.StateDict(), metadata, cancellationToken);
    }

    /// <summary>Reads a safetensors state dictionary from <paramref name="stream"/> into the module.</summary>
    /// <param name="module">The module.</param>
    /// <param name="stream">A readable stream, left open.</param>
    /// <param name="strict">Require the file's keys to match the module's exactly.</param>
    /// <returns>The keys skipped by a non-strict load.</returns>
    /// <exception cref="InvalidDataException">The data is not a well-formed safetensors file.</exception>
    /// <exception cref="StateDictMismatchException">The file's tensors do not fit the module.</exception>
    public static StateDictLoadResult Load(this Module module, Stream stream, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.LoadStateDict(SafeTensors.Load(stream).Tensors, strict);
    }

    /// <inheritdoc cref="Load(Module, Stream, bool)"/>
    /// <param name="module">The module.</param>
    /// <param name="stream">A readable stream, left open.</param>
    /// <param name="strict">Require the file's keys to match the module's exactly.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<StateDictLoadResult> LoadAsync(this Module module, Stream stream, bool strict = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        var content = await SafeTensors.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        return module.LoadStateDict(content.Tensors, strict);
    }

    /// <summary>Reads a safetensors state dictionary from a file into the module.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    /// <param name="strict">Require the file's keys to match the module's exactly.</param>
    /// <returns>The keys skipped by a non-strict load.</returns>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file.</exception>
    /// <exception cref="StateDictMismatchException">The file's tensors do not fit the module.</exception>
    public static StateDictLoadResult Load(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.LoadStateDict(SafeTensors.Load(path).Tensors, strict);
    }

    /// <inheritdoc cref="Load(Module, string, bool)"/>
    /// <param name="module">The module.</param>
    /// <param name="path">The file.</param>
    /// <param name="strict">Require the file's keys to match the module's exactly.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<StateDictLoadResult> LoadAsync(this Module module, string path, bool strict = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(module);
        var content = await SafeTensors.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        return module.LoadStateDict(content.Tensors, strict);
    }
}
