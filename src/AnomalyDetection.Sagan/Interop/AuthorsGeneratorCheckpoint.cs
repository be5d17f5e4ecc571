using System.Globalization;
using AnomalyDetection.Engine;
using AnomalyDetection.Randomness;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Interop;

/// <summary>
/// A generator checkpoint of the SAGAN authors' training code (github.com/zzr728/SAGAN): the
/// <c>&lt;iteration&gt;-G.ckpt</c> files their solver writes with <c>torch.save(G.state_dict(), path)</c>, or the same
/// names in a safetensors file. Reading it infers the architecture from the tensor shapes, renames every tensor to
/// <see cref="SaganGenerator"/>'s names and checks names and shapes strictly; writing does the reverse, so that the
/// authors' <c>Generator</c> loads our weights with <c>load_state_dict(torch.load(path))</c>.
/// </summary>
/// <remarks>
/// <para>The authors' affine instance norms track running statistics that their code never reads (it never calls
/// <c>G.eval()</c>, so every norm uses per-instance statistics, as ours always do). Reading ignores these buffers and
/// lists them in <see cref="IgnoredBuffers"/>; writing adds neutral ones (mean 0, variance 1, count 0) so that a strict
/// load in PyTorch succeeds.</para>
/// <para>The image size is not stored in the weights: the authors train at 64 × 64, which is the default.</para>
/// </remarks>
public sealed class AuthorsGeneratorCheckpoint : IDisposable
{
    /// <summary>The authors' name of the first convolution, whose shape gives the width and the input channels.</summary>
    public const string StemWeightName = "layer1.0.weight";

    private const string ModuleDescription = "the SAGAN generator (the authors' names)";
    private static readonly string[] CriticNames = ["conv1.weight", "main.0.weight"];

    private readonly Dictionary<string, Tensor> _weights;

    private AuthorsGeneratorCheckpoint(string source, int channels, int convDim, int repeatNum, Dictionary<string, Tensor> weights, IReadOnlyList<string> ignoredBuffers)
    {
        Source = source;
        Channels = channels;
        ConvDim = convDim;
        RepeatNum = repeatNum;
        _weights = weights;
        IgnoredBuffers = ignoredBuffers;
    }

    /// <summary>The file read.</summary>
    public string Source { get; }

    /// <summary>Image channels, from the first convolution's input channels (1 in the authors' runs).</summary>
    public int Channels { get; }

    /// <summary>Channels of the first layer (the authors' <c>g_conv_dim</c>, 64 in their runs).</summary>
    public int ConvDim { get; }

    /// <summary>Residual blocks in the bottleneck (the authors' <c>g_repeat_num</c>, 6 in their runs).</summary>
    public int RepeatNum { get; }

    /// <summary>The generator's weights under <see cref="SaganGenerator"/>'s names, float32 on the CPU; owned by this object.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights;

    /// <summary>The running-statistics buffers of the authors' instance norms that were read and ignored.</summary>
    public IReadOnlyList<string> IgnoredBuffers { get; }

    /// <summary>Reads and checks a checkpoint.</summary>
    /// <param name="path">A <c>torch.save</c> state dictionary (<c>.ckpt</c>, <c>.pt</c>, <c>.pth</c>) or a safetensors file.</param>
    /// <returns>The checkpoint, renamed to our names.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a state dictionary, or not of a SAGAN generator at all.</exception>
    /// <exception cref="StateDictMismatchException">Tensors are missing, unexpected or misshaped for the inferred
    /// architecture; the message lists each by the authors' names.</exception>
    public static AuthorsGeneratorCheckpoint Read(string path)
    {
        var stored = PyTorchStateDict.Read(path);
        try
        {
            return FromStateDict(stored, path);
        }
        finally
        {
            foreach (var tensor in stored.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Checks a state dictionary with the authors' names and renames it.</summary>
    /// <param name="stored">The tensors by the authors' names; not disposed.</param>
    /// <param name="source">Names the source in messages.</param>
    /// <returns>The checkpoint, with copies of the weights under our names.</returns>
    /// <exception cref="InvalidDataException">The tensors are not of a SAGAN generator at all.</exception>
    /// <exception cref="StateDictMismatchException">Tensors are missing, unexpected or misshaped.</exception>
    public static AuthorsGeneratorCheckpoint FromStateDict(IReadOnlyDictionary<string, Tensor> stored, string source)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(source);
        var (channels, convDim, repeatNum) = InferArchitecture(stored, source);

        // The expected names and shapes come from our generator itself, so the check cannot drift from the network.
        Dictionary<string, long[]> ours;
        using (var generator = new SaganGenerator(channels, convDim, repeatNum, new RandomSource(0)))
        {
            ours = generator.state_dict().ToDictionary(p => p.Key, p => p.Value.shape, StringComparer.Ordinal);
        }

        var byAuthorsName = ours.ToDictionary(p => AuthorsParameterNames.ToAuthors(p.Key), p => p.Key, StringComparer.Ordinal);
        var buffers = AuthorsParameterNames.AffineNormPrefixes(ours)
            .SelectMany(prefix => AuthorsParameterNames.RunningStatistics.Select(s => prefix + s))
            .ToHashSet(StringComparer.Ordinal);
        StateDicts.ThrowIfMismatched(
            byAuthorsName.ToDictionary(p => p.Key, p => ours[p.Value], StringComparer.Ordinal),
            stored,
            string.Create(CultureInfo.InvariantCulture, $"{ModuleDescription} of '{source}', read as ConvDim {convDim}, {repeatNum} residual blocks, {channels} channel(s)"),
            buffers.Contains,
            name => $"{name} (ours {byAuthorsName[name]})");

        var weights = byAuthorsName.ToDictionary(
            p => p.Value,
            p => stored[p.Key].detach().to(torch.CPU).to_type(torch.ScalarType.Float32).clone(),
            StringComparer.Ordinal);
        var ignored = stored.Keys.Where(buffers.Contains).ToList();
        return new AuthorsGeneratorCheckpoint(source, channels, convDim, repeatNum, weights, ignored);
    }

    /// <summary>
    /// The authors' state dictionary for our generator weights: every tensor renamed, plus neutral running statistics
    /// for each affine instance norm (mean 0, variance 1, count 0), as their <c>Generator</c> expects for a strict load.
    /// </summary>
    /// <param name="generatorWeights">Weights under <see cref="SaganGenerator"/>'s names (no <c>generator.</c> prefix).</param>
    /// <returns>New CPU tensors the caller owns, in our state dictionary's order.</returns>
    /// <exception cref="ArgumentException">A name is not one of the generator's.</exception>
    public static Dictionary<string, Tensor> ToAuthorsStateDict(IReadOnlyDictionary<string, Tensor> generatorWeights)
    {
        ArgumentNullException.ThrowIfNull(generatorWeights);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in generatorWeights)
        {
            result.Add(AuthorsParameterNames.ToAuthors(name), tensor.detach().to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous().clone());
        }

        var norms = AuthorsParameterNames.AffineNormPrefixes(generatorWeights.Select(p => KeyValuePair.Create(p.Key, p.Value.shape)));
        foreach (var prefix in norms)
        {
            var channels = result[prefix + "weight"].shape[0];
            result.Add(prefix + "running_mean", torch.zeros(channels));
            result.Add(prefix + "running_var", torch.ones(channels));
            result.Add(prefix + "num_batches_tracked", torch.tensor(0L));
        }

        return result;
    }

    /// <summary>Writes our generator weights as the authors' checkpoint (see <see cref="ToAuthorsStateDict"/>).</summary>
    /// <param name="generatorWeights">Weights under <see cref="SaganGenerator"/>'s names.</param>
    /// <param name="path">The file: safetensors for the <c>.safetensors</c> extension, otherwise the <c>torch.save</c> format.</param>
    public static void Write(IReadOnlyDictionary<string, Tensor> generatorWeights, string path)
    {
        var authors = ToAuthorsStateDict(generatorWeights);
        try
        {
            PyTorchStateDict.Write(authors, path);
        }
        finally
        {
            foreach (var tensor in authors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var tensor in _weights.Values)
        {
            tensor.Dispose();
        }

        _weights.Clear();
    }

    /// <summary>Channels and width from the stem's weight (out, in, 7, 7); residual blocks from the numbered entries of
    /// the authors' <c>bn2</c> Sequential after its position fusion (indices 0–2).</summary>
    private static (int Channels, int ConvDim, int RepeatNum) InferArchitecture(IReadOnlyDictionary<string, Tensor> stored, string source)
    {
        if (!stored.TryGetValue(StemWeightName, out var stem))
        {
            var kind = CriticNames.All(stored.ContainsKey)
                ? "it holds the authors' critic (a -D.ckpt file), not the generator (-G.ckpt)"
                : $"it has no '{StemWeightName}' (the authors' first generator convolution); its {stored.Count} tensors start with {string.Join(", ", stored.Keys.Take(3).Select(k => $"'{k}'"))}";
            throw new InvalidDataException($"'{source}' is not a SAGAN generator checkpoint: {kind}.");
        }

        if (stem.dim() != 4 || stem.shape[2] != 7 || stem.shape[3] != 7 || stem.shape[0] is < 1 or > 1024 || stem.shape[1] is < 1 or > 3)
        {
            throw new InvalidDataException(
                $"'{source}' is not a SAGAN generator checkpoint: '{StemWeightName}' has shape [{string.Join(", ", stem.shape)}], not [ConvDim, channels, 7, 7].");
        }

        var blocks = stored.Keys
            .Select(k => k.Split('.'))
            .Where(parts => parts.Length > 2 && parts[0] == "bn2")
            .Select(parts => int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1)
            .Where(index => index >= 3)
            .Distinct()
            .Count();
        if (blocks > 64)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{source}' is not a SAGAN generator checkpoint: it has {blocks} bottleneck blocks (at most 64 are supported)."));
        }

        return ((int)stem.shape[1], (int)stem.shape[0], blocks);
    }
}
