using System.Collections;
using AnomalyDetection.Serialization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch.nn;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Interop;

/// <summary>
/// Reads and writes PyTorch state dictionaries as files: the zip format of <c>torch.save(model.state_dict(), path)</c>
/// (<c>.ckpt</c>, <c>.pt</c>, <c>.pth</c>, <c>.bin</c>; through TorchSharp.PyBridge) and safetensors (<c>.safetensors</c>).
/// The format follows the file name's extension.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>The extension that selects safetensors; any other selects the <c>torch.save</c> format.</summary>
    public const string SafetensorsExtension = ".safetensors";

    /// <summary>Reads every tensor of a state-dictionary file, by name, as CPU tensors the caller owns.</summary>
    /// <param name="path">A <c>torch.save</c> state dictionary or a safetensors file.</param>
    /// <returns>The tensors, in their stored types (safetensors files are read as float32).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a state dictionary in either format; the one-line message names the file.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The checkpoint '{path}' does not exist.", path);
        }

        try
        {
            if (IsSafetensors(path))
            {
                return new Dictionary<string, Tensor>(SafeTensors.Load(path).Tensors, StringComparer.Ordinal);
            }

            using var stream = File.OpenRead(path);
            Span<byte> signature = stackalloc byte[4];
            if (stream.ReadAtLeast(signature, 4, throwOnEndOfStream: false) < 4 || !signature.SequenceEqual("PK\u0003\u0004"u8))
            {
                throw new InvalidDataException(
                    "it is neither a zip-format torch.save file (PyTorch 1.6 or later) nor, by its extension, safetensors; re-save legacy files with a current PyTorch");
            }

            stream.Position = 0;
            var table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                result.Add(
                    entry.Key as string ?? throw new InvalidDataException($"it holds a key of type {entry.Key.GetType().Name}"),
                    entry.Value as Tensor ?? throw new InvalidDataException($"its entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor"));
            }

            return result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One line: the reason of a library's exception may span several.
            var reason = ex.Message.Split('\n', 2)[0].Trim();
            throw new InvalidDataException(
                $"'{path}' is not a PyTorch state dictionary (a torch.save(model.state_dict()) file, or safetensors for the .safetensors extension): {(ex is InvalidDataException ? "" : ex.GetType().Name + ": ")}{reason}", ex);
        }
    }

    /// <summary>Writes tensors as a state-dictionary file that <c>torch.load</c> (or <c>safetensors.torch.load_file</c>
    /// for the <c>.safetensors</c> extension) reads; the file is replaced when it exists.</summary>
    /// <param name="tensors">The tensors by name, on any device, in the order to write.</param>
    /// <param name="path">The file; its extension selects the format.</param>
    public static void Write(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var carrier = new StateDictCarrier(tensors);
        AtomicFile.Write(path, stream =>
        {
            if (IsSafetensors(path))
            {
                carrier.save_safetensors(stream, leaveOpen: true);
            }
            else
            {
                carrier.save_py(stream, leaveOpen: true);
            }
        });
    }

    private static bool IsSafetensors(string path) =>
        Path.GetExtension(path).Equals(SafetensorsExtension, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Presents tensors as its state dictionary under their full dotted names, so that PyBridge's writers, which save a
    /// module's state dictionary, write exactly these names without a module tree behind them.
    /// </summary>
    private sealed class StateDictCarrier : Module
    {
        private readonly Dictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

        public StateDictCarrier(IReadOnlyDictionary<string, Tensor> tensors)
            : base(nameof(StateDictCarrier))
        {
            foreach (var (name, tensor) in tensors)
            {
                _tensors.Add(name, tensor.detach().cpu().contiguous().clone());
            }
        }

        public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
        {
            destination ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var (name, tensor) in _tensors)
            {
                destination.Add(string.IsNullOrEmpty(prefix) ? name : $"{prefix}.{name}", tensor);
            }

            return destination;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                foreach (var tensor in _tensors.Values)
                {
                    tensor.Dispose();
                }

                _tensors.Clear();
            }

            base.Dispose(disposing);
        }
    }
}
