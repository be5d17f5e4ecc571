using AnomalyDetection.Data;
using AnomalyDetection.DependencyInjection;
using AnomalyDetection.Detection;
using AnomalyDetection.Sagan;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnomalyDetection.Hosting;

/// <summary>
/// Scores every image under a folder in batches, writes one CSV row per image, then stops the host. Only one batch of
/// images is in memory at a time: file names are streamed from the folder and each batch is loaded when it is scored.
/// </summary>
internal sealed class FolderScanner(
    IAnomalyDetectorProvider detectors, IOptions<ScanOptions> options, IHostApplicationLifetime lifetime, ILogger<FolderScanner> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Read here, not in the constructor, so that a bad setting surfaces through the host's start-up validation.
            var settings = options.Value;
            var detector = await GetTrainedDetectorAsync(settings, stoppingToken).ConfigureAwait(false);
            await ScanAsync(settings, detector, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // A one-shot job: the host ends when the scan does, whether it finished, failed or was stopped.
            lifetime.StopApplication();
        }
    }

    private async Task<IAnomalyDetector> GetTrainedDetectorAsync(ScanOptions settings, CancellationToken cancellationToken)
    {
        if (detectors.Names.Contains(ScanHost.ProductionDetector))
        {
            var trained = detectors.Get(ScanHost.ProductionDetector);
            ScanLog.ModelLoaded(logger, trained.Kind, settings.ModelFile);
            return trained;
        }

        var detector = detectors.Get(settings.TrainDetector);
        var dataFolder = string.IsNullOrWhiteSpace(settings.TrainingData) ? EmbeddedData.Locate() : settings.TrainingData;
        ScanLog.TrainingStarted(logger, settings.ModelFile, settings.TrainDetector, detector.Kind, dataFolder);

        var splits = FolderDatasetReader.Read(dataFolder);
        // SAGAN learns from an unlabeled mix as well as from normal images; detectors that do not ignore it.
        var unlabeled = splits.Extra.TryGetValue("train_abnormal", out var abnormal)
            ? UnlabeledPoolBuilder.Build(splits.Train.Count, abnormal, splits.Train)
            : null;
        detector.Fit(new TrainingData(splits.Train, unlabeled), new TrainingStepLogger(logger), cancellationToken);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.ModelFile))!);
        await detector.SaveAsync(settings.ModelFile, cancellationToken).ConfigureAwait(false);
        ScanLog.ModelSaved(logger, settings.ModelFile);
        return detector;
    }

    private async Task ScanAsync(ScanOptions settings, IAnomalyDetector detector, CancellationToken cancellationToken)
    {
        var inputFolder = string.IsNullOrWhiteSpace(settings.InputFolder) ? Path.Combine(EmbeddedData.Locate(), "test") : settings.InputFolder;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.OutputCsv))!);
        var writer = new StreamWriter(settings.OutputCsv);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteLineAsync(ScanCsv.Header.AsMemory(), cancellationToken).ConfigureAwait(false);
            int scanned = 0, anomalous = 0;
            var files = FolderScoring.ScoreFolderAsync(detector, inputFolder, settings.BatchSize, progress: new BatchLogger(logger), cancellationToken: cancellationToken);
            try
            {
                await foreach (var file in files.ConfigureAwait(false))
                {
                    if (file.Prediction is not { } prediction)
                    {
                        ScanLog.FileSkipped(logger, file.Path, file.Error!);
                        continue;
                    }

                    scanned++;
                    anomalous += prediction.IsAnomalous ? 1 : 0;
                    await writer.WriteLineAsync(ScanCsv.Row(Path.GetRelativePath(inputFolder, file.Path), prediction).AsMemory(), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                ScanLog.ScanStopped(logger, scanned, settings.OutputCsv);
                return;
            }

            ScanLog.ScanCompleted(logger, scanned, inputFolder, anomalous, settings.OutputCsv);
        }
    }

    /// <summary>Logs the running file count after every batch, on the scanning thread.</summary>
    private sealed class BatchLogger(ILogger logger) : IProgress<int>
    {
        public void Report(int value) => ScanLog.BatchScored(logger, value);
    }

    /// <summary>Logs training progress every 50 steps and at the last, on the training thread.</summary>
    private sealed class TrainingStepLogger(ILogger logger) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step % 50 == 0 || value.Step == value.TotalSteps)
            {
                ScanLog.TrainingStep(logger, value.Step, value.TotalSteps);
            }
        }
    }
}
