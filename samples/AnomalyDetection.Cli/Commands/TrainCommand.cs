using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Sagan;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>train</c>: fits a detector on a data folder and writes a model file.</summary>
internal static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var detector = new Option<string>("--detector")
        {
            Description = "The detector to train.",
            DefaultValueFactory = _ => SaganDetector.DetectorKind,
            CustomParser = KnownDetectors.ParseKind,
        };
        detector.CompletionSources.Add(KnownDetectors.Kinds);
        var data = CommonOptions.Data("The training data folder");
        var options = new Option<string?>("--options")
        {
            Description = "A JSON file of detector options (SaganOptions or PatchGanOptions, camelCase names); values not in it keep the library defaults. Without it, small settings that train in minutes are used.",
        };
        // --iterations, SAGAN's former name for the step count, stays an alias.
        var maxSteps = new Option<int?>("--max-steps", "--iterations") { Description = "Training steps (the detector's MaxSteps).", CustomParser = OptionValueParsers.WholeNumber };
        var imageSize = new Option<int?>("--image-size") { Description = "The side the images are resized to.", CustomParser = OptionValueParsers.WholeNumber };
        var seed = new Option<long?>("--seed") { Description = "The training seed (results repeat for a seed and thread count).", CustomParser = OptionValueParsers.LongWholeNumber };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per training step.", CustomParser = OptionValueParsers.WholeNumber };
        var checkpoints = new Option<string?>("--checkpoints")
        {
            Description = "A folder for training checkpoints; a cancelled run keeps the last one and the same command resumes from it.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The model file to write.",
            DefaultValueFactory = _ => "model.adm",
        };

        var command = new Command("train", "Train a detector and save it as a model file.")
        {
            detector, data, options, maxSteps, imageSize, seed, batchSize, checkpoints, output,
        };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var settings = new TrainingSettings(
                result.GetValue(detector)!,
                result.GetValue(options),
                result.GetValue(maxSteps),
                result.GetValue(imageSize),
                result.GetValue(seed),
                result.GetValue(batchSize),
                result.GetValue(checkpoints));
            var folder = CommonOptions.ResolveData(result.GetValue(data));
            var outputPath = Path.GetFullPath(result.GetValue(output)!);
            TrainingOutputPaths.ThrowIfModelPathUnusable(outputPath);
            var (model, modelOptions) = KnownDetectors.Create(settings);
            if (modelOptions.CheckpointDirectory is { } checkpointFolder)
            {
                TrainingOutputPaths.ThrowIfCheckpointFolderUnusable(Path.GetFullPath(checkpointFolder));
            }

            var splits = FolderDatasetReader.Read(folder);
            var training = TrainingDataFor(model, splits);

            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Training {model.Kind} on {training.Normal.Count} normal images{(training.Unlabeled is { } pool ? $" and an unlabeled pool of {pool.Count}" : "")} from {folder}"));
            var clock = Stopwatch.StartNew();
            TrainingProgress? last = null;
            try
            {
                last = await TrainingProgressView.RunAsync(console, progress => model.Fit(training, progress, cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync(settings.CheckpointDirectory is { } directory
                    ? $"Training cancelled; no model file was written. The last checkpoint in {directory} is kept: run the same command to resume."
                    : "Training cancelled; no model file was written.");
                throw;
            }
            catch (InvalidCheckpointException ex) when (ex.FilePath.Length > 0)
            {
                throw new CliException($"Checkpoint '{ex.FilePath}' {ex.Problem}; delete it or use another --checkpoints folder.");
            }
            catch (InsufficientMemoryException ex)
            {
                // Refused up front by the library's estimate: the message names what is needed and what is available.
                throw new CliException(ex.Message);
            }
            catch (Exception ex) when (IsOutOfMemory(ex))
            {
                throw new CliException($"Training ran out of memory ({FirstLine(ex.Message)}); lower --image-size or --batch-size.");
            }
            catch (TrainingDivergedException ex)
            {
                // Its message names the step, the loss and the value, and what to change.
                throw new CliException(ex.Message);
            }

            await ModelSaveWithFallback.Default.SaveAsync(model, outputPath, cancellationToken);
            var threshold = model.Calibration.Image;
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Trained {last?.Step ?? 0} steps in {clock.Elapsed:hh\\:mm\\:ss}; image threshold {threshold.Threshold:F5} ({threshold.Source})."));
            await console.Out.WriteLineAsync($"Saved {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A managed allocation that failed, or LibTorch's allocator refusing one (it reports "not enough memory"
    /// on the CPU and "out of memory" on CUDA, through <see cref="ExternalException"/>).</summary>
    private static bool IsOutOfMemory(Exception ex) =>
        ex is OutOfMemoryException
        || (ex is ExternalException && (ex.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)));

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>SAGAN also learns from an unlabeled mix: built from an abnormal extra pool (60% abnormal, as in the
    /// paper), or taken as is from an unlabeled one. Patch-GAN needs normal images only.</summary>
    private static TrainingData TrainingDataFor(IAnomalyDetector detector, DatasetSplits splits)
    {
        var normal = splits.Train;
        if (detector.Kind != SaganDetector.DetectorKind)
        {
            return new TrainingData(normal);
        }

        var pools = splits.Extra.Values.Where(p => p.Count > 0).ToList();
        if (pools.FirstOrDefault(p => p[0].Label == AnomalyLabel.Abnormal) is { } abnormal)
        {
            var size = Math.Min(normal.Count, (int)(abnormal.Count / UnlabeledPoolBuilder.DefaultAbnormalRatio));
            return new TrainingData(normal, UnlabeledPoolBuilder.Build(Math.Max(1, size), abnormal, normal));
        }

        return new TrainingData(normal, pools.FirstOrDefault(p => p[0].Label == AnomalyLabel.Unknown));
    }
}
