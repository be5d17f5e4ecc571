using System.Globalization;
using AnomalyDetection.Components;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.NN;
using AnomalyDetection.Tensors.Optim;
using AnomalyDetection.Tensors.Serialization;

namespace AnomalyDetection.Sagan;

/// <summary>
/// One training checkpoint file (safetensors): both networks, both Adam states, the best generator so far and the
/// run's progress, written atomically so that a crash leaves the previous checkpoint intact. Every random draw of an
/// iteration derives from the seed and the iteration number, so weights, optimiser states and the iteration count are
/// all that resuming bit for bit needs.
/// </summary>
internal static class SaganCheckpoint
{
    /// <summary>The checkpoint's file name inside the checkpoint folder.</summary>
    public const string FileName = "sagan.checkpoint.safetensors";

    private const string Format = "sagan-checkpoint-1";
    private const string Generator = "generator.";
    private const string Critic = "critic.";
    private const string GeneratorOptimizer = "generator_optimizer.";
    private const string CriticOptimizer = "critic_optimizer.";
    private const string BestGenerator = "best_generator.";
    private const string Loss = "loss.";

    public static void Save(string path, string fingerprint, SaganGenerator generator, WassersteinCritic critic, Adam generatorOptimizer, Adam criticOptimizer, SaganTrainingState state)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["fingerprint"] = fingerprint,
            ["next_iteration"] = Text(state.NextIteration),
            ["best_iteration"] = Text(state.BestIteration),
            ["stale_validations"] = Text(state.StaleValidations),
            ["stopped_early"] = state.StoppedEarly ? "true" : "false",
        };
        AddModule(tensors, Generator, generator);
        AddModule(tensors, Critic, critic);
        AddOptimizer(tensors, metadata, GeneratorOptimizer, generatorOptimizer.StateDict());
        AddOptimizer(tensors, metadata, CriticOptimizer, criticOptimizer.StateDict());
        if (state.BestWeights is { } best)
        {
            foreach (var (name, tensor) in best)
            {
                tensors[BestGenerator + name] = tensor;
            }
        }

        if (state.LastMetric is { } last)
        {
            metadata["last_metric"] = Text(last);
        }

        if (state.BestMetric is { } bestMetric)
        {
            metadata["best_metric"] = Text(bestMetric);
        }

        foreach (var (name, value) in state.Losses)
        {
            metadata[Loss + name] = Text(value);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>Loads a checkpoint into the networks and optimisers.</summary>
    /// <returns>The run's state.</returns>
    /// <exception cref="InvalidOperationException">The checkpoint was written for other settings or data, is damaged, or
    /// is not a SAGAN checkpoint.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed safetensors file.</exception>
    public static SaganTrainingState Load(string path, string fingerprint, SaganGenerator generator, WassersteinCritic critic, Adam generatorOptimizer, Adam criticOptimizer)
    {
        var content = SafeTensors.Load(path);
        var metadata = content.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidOperationException($"'{path}' is not a SAGAN training checkpoint of this version; delete it or choose another CheckpointDirectory.");
        }

        if (!metadata.TryGetValue("fingerprint", out var saved) || saved != fingerprint)
        {
            throw new InvalidOperationException(
                $"The checkpoint '{path}' was written for other settings or data ({saved}) than this run ({fingerprint}); delete it or choose another CheckpointDirectory.");
        }

        try
        {
            generator.LoadStateDict(Prefixed(content.Tensors, Generator));
            critic.LoadStateDict(Prefixed(content.Tensors, Critic));
            generatorOptimizer.LoadStateDict(OptimizerState(content, GeneratorOptimizer));
            criticOptimizer.LoadStateDict(OptimizerState(content, CriticOptimizer));
            var best = Prefixed(content.Tensors, BestGenerator);
            var state = new SaganTrainingState
            {
                NextIteration = long.Parse(metadata["next_iteration"], CultureInfo.InvariantCulture),
                BestIteration = long.Parse(metadata["best_iteration"], CultureInfo.InvariantCulture),
                StaleValidations = int.Parse(metadata["stale_validations"], CultureInfo.InvariantCulture),
                StoppedEarly = metadata["stopped_early"] == "true",
                LastMetric = metadata.TryGetValue("last_metric", out var last) ? Number(last) : null,
                BestMetric = metadata.TryGetValue("best_metric", out var bestMetric) ? Number(bestMetric) : null,
                BestWeights = best.Count > 0 ? best : null,
            };
            foreach (var (key, value) in metadata)
            {
                if (key.StartsWith(Loss, StringComparison.Ordinal))
                {
                    state.Losses[key[Loss.Length..]] = Number(value);
                }
            }

            return state;
        }
        catch (Exception ex) when (ex is KeyNotFoundException or FormatException or ArgumentException or StateDictMismatchException)
        {
            throw new InvalidOperationException($"The checkpoint '{path}' does not fit this run: {ex.Message} Delete it or choose another CheckpointDirectory.", ex);
        }
    }

    private static void AddModule(Dictionary<string, Tensor> tensors, string prefix, Module module)
    {
        foreach (var (name, tensor) in module.StateDict())
        {
            tensors[prefix + name] = tensor;
        }
    }

    private static void AddOptimizer(Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata, string prefix, OptimizerState state)
    {
        metadata[prefix + "kind"] = state.Kind;
        foreach (var (key, tensor) in state.Tensors)
        {
            tensors[prefix + key] = tensor;
        }

        foreach (var (key, value) in state.Scalars)
        {
            metadata[prefix + key] = Text(value);
        }
    }

    private static OptimizerState OptimizerState(SafeTensorsContent content, string prefix)
    {
        var state = new OptimizerState(content.Metadata[prefix + "kind"]);
        foreach (var (key, tensor) in Prefixed(content.Tensors, prefix))
        {
            state.Tensors[key] = tensor;
        }

        foreach (var (key, value) in content.Metadata)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key != prefix + "kind")
            {
                state.Scalars[key[prefix.Length..]] = Number(value);
            }
        }

        return state;
    }

    private static Dictionary<string, Tensor> Prefixed(IReadOnlyDictionary<string, Tensor> tensors, string prefix)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                result[name[prefix.Length..]] = tensor;
            }
        }

        return result;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
