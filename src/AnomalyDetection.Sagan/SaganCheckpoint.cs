using AnomalyDetection.Components;
using AnomalyDetection.Detection;
using AnomalyDetection.Engine;
using TorchSharp;
using TorchSharp.Modules;

namespace AnomalyDetection.Sagan;

/// <summary>
/// One training checkpoint file (a <see cref="TrainingCheckpoint"/>): both networks, both Adam states, the best
/// generator so far and the run's progress. Every random draw of an iteration derives from the seed and the iteration
/// number (no random source runs on from one iteration to the next), so weights, optimiser states and the iteration
/// count are all that resuming bit for bit needs.
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
    private const string AverageGenerator = "average_generator.";
    private const string Loss = "loss.";

    public static void Save(string path, string fingerprint, SaganGenerator generator, WassersteinCritic critic, Adam generatorOptimizer, Adam criticOptimizer, ExponentialWeightAverage? average, SaganTrainingState state)
    {
        // The CPU copies of weights and moments live only until the file is written.
        using var scope = torch.NewDisposeScope();
        var checkpoint = new TrainingCheckpoint();
        checkpoint.SetValue("next_iteration", state.NextIteration);
        checkpoint.SetValue("best_iteration", state.BestIteration);
        checkpoint.SetValue("stale_validations", state.StaleValidations);
        checkpoint.SetValue("stopped_early", state.StoppedEarly ? "true" : "false");
        checkpoint.AddTensors(Generator, StateDicts.Export(generator));
        checkpoint.AddTensors(Critic, StateDicts.Export(critic));
        checkpoint.AddOptimizer(GeneratorOptimizer, generatorOptimizer);
        checkpoint.AddOptimizer(CriticOptimizer, criticOptimizer);
        if (state.BestWeights is { } best)
        {
            checkpoint.AddTensors(BestGenerator, best);
        }

        if (average is not null)
        {
            checkpoint.AddTensors(AverageGenerator, average.Export());
            checkpoint.SetValue("average_updates", average.Updates);
        }

        if (state.LastMetric is { } last)
        {
            checkpoint.SetValue("last_metric", last);
        }

        if (state.BestMetric is { } bestMetric)
        {
            checkpoint.SetValue("best_metric", bestMetric);
        }

        checkpoint.SetValues(Loss, state.Losses);
        checkpoint.Save(path, Format, fingerprint);
    }

    /// <summary>Loads a checkpoint into the networks and optimisers.</summary>
    /// <returns>The run's state.</returns>
    /// <exception cref="InvalidCheckpointException">The checkpoint is empty, truncated or damaged, was written for
    /// other settings or data, or is not a SAGAN checkpoint.</exception>
    public static SaganTrainingState Load(string path, string fingerprint, SaganGenerator generator, WassersteinCritic critic, Adam generatorOptimizer, Adam criticOptimizer, ExponentialWeightAverage? average)
    {
        // The file's tensors are freed once copied in, except the best generator, which the run keeps.
        using var scope = torch.NewDisposeScope();
        return TrainingCheckpoint.Resume(path, Format, fingerprint, checkpoint =>
        {
            StateDicts.LoadStrict(generator, checkpoint.Tensors(Generator), "the checkpoint's generator");
            StateDicts.LoadStrict(critic, checkpoint.Tensors(Critic), "the checkpoint's critic");
            checkpoint.RestoreOptimizer(GeneratorOptimizer, generatorOptimizer);
            checkpoint.RestoreOptimizer(CriticOptimizer, criticOptimizer);
            average?.Restore(checkpoint.Tensors(AverageGenerator), checkpoint.GetInt64("average_updates"));
            var best = checkpoint.Tensors(BestGenerator);
            foreach (var tensor in best.Values)
            {
                tensor.MoveToOuterDisposeScope();
            }

            var state = new SaganTrainingState
            {
                NextIteration = checkpoint.GetInt64("next_iteration"),
                BestIteration = checkpoint.GetInt64("best_iteration"),
                StaleValidations = checked((int)checkpoint.GetInt64("stale_validations")),
                StoppedEarly = checkpoint.GetText("stopped_early") == "true",
                LastMetric = checkpoint.GetDoubleOrNull("last_metric"),
                BestMetric = checkpoint.GetDoubleOrNull("best_metric"),
                BestWeights = best.Count > 0 ? best : null,
            };
            foreach (var (name, value) in checkpoint.GetValues(Loss))
            {
                state.Losses[name] = value;
            }

            return state;
        });
    }
}
