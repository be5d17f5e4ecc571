using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Metrics;
using AnomalyDetection.Engine;

namespace AnomalyDetection.Evaluation;

/// <summary>Runs configurations on a data set: trains (or, for baselines, only scores), evaluates on the test split and
/// appends one results row per configuration and seed.</summary>
/// <param name="catalog">The named configurations.</param>
/// <param name="log">Receives progress and one summary line per row (standard error).</param>
internal sealed class BenchmarkRunner(ConfigurationCatalog catalog, TextWriter log)
{
    // Taken before training so that edits made while a long run trains do not mark its rows dirty.
    private readonly string? _commit = MachineInfo.Commit();

    /// <summary>Runs every configuration with every seed, appending each row as soon as it is done.</summary>
    /// <returns>The rows, in the order they were appended.</returns>
    /// <exception cref="HarnessException">A configuration is unknown, for another detector, or its settings are invalid.</exception>
    /// <exception cref="InvalidDatasetException">The data set folder is unusable.</exception>
    public IReadOnlyList<ResultRow> Run(RunRequest request, CancellationToken cancellationToken = default)
    {
        // Check every configuration before the first (possibly long) training.
        var configurations = request.Configurations.Select(catalog.Get).ToList();
        if (configurations.FirstOrDefault(c => c.Detector != request.Detector) is { } mismatch)
        {
            throw new HarnessException($"Configuration '{mismatch.Name}' is for detector '{mismatch.Detector}', not '{request.Detector}'.");
        }

        if (!Directory.Exists(request.Dataset))
        {
            throw new HarnessException($"Data set folder '{request.Dataset}' does not exist.");
        }

        var splits = FolderDatasetReader.Read(request.Dataset);
        if (splits.Test.Count == 0)
        {
            throw new HarnessException($"'{request.Dataset}' has no test split to evaluate on.");
        }

        var dataset = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.Dataset)));
        var rows = new List<ResultRow>();
        foreach (var configuration in configurations)
        {
            foreach (var seed in request.Seeds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = configuration.Detector == DetectorRegistry.Baseline
                    ? RunBaseline(dataset, splits, configuration, seed, request)
                    : Train(dataset, splits, configuration, seed, request, cancellationToken);
                ResultsFile.Append(request.ResultsPath, row);
                rows.Add(row);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{dataset} {configuration.Name} seed {seed}: image AUROC {row.ImageAuroc:F3} AP {row.ImageAveragePrecision:F3} F1-max {row.ImageF1Max:F3}{PixelSummary(row)}{ProxySummary(row)}{ValidationSummary(row)}, trained {row.TrainingSeconds:F0} s -> {request.ResultsPath}"));
            }
        }

        return rows;
    }

    private static string PixelSummary(ResultRow row) => row.PixelAuroc is { } auroc
        ? string.Create(CultureInfo.InvariantCulture, $"; pixel AUROC {auroc:F3} best Dice {row.PixelBestDice:F3} AUPRO {row.PixelAupro:F3}")
        : "";

    private static string ValidationSummary(ResultRow row) => row.ValidationMetric is { } metric
        ? string.Create(CultureInfo.InvariantCulture, $"; validation metric {metric:F4}{(row.SelectedStep is { } selected ? $" (kept the weights of step {selected})" : "")}")
        : "";

    private static string ProxySummary(ResultRow row) => row.ProxyImageAuroc is { } proxy
        ? string.Create(CultureInfo.InvariantCulture, $"; proxy AUROC {proxy:F3} (held-out normals vs synthetic anomalies)")
        : "";

    private ResultRow RunBaseline(string dataset, DatasetSplits splits, BenchmarkConfiguration configuration, long seed, RunRequest request)
    {
        var options = new BaselineOptions();
        var settings = Settings(options, configuration, request);
        var report = TrivialBaseline.Evaluate(splits.Test, options);
        return Row(dataset, configuration, seed, options.ImageSize, 0, 0, TimeSpan.Zero, report, settings, "gray", null, typeof(TrivialBaseline), request, TorchRuntime.Describe(TorchSharp.torch.CPU));
    }

    private ResultRow Train(string dataset, DatasetSplits splits, BenchmarkConfiguration configuration, long seed, RunRequest request, CancellationToken cancellationToken)
    {
        var options = (DetectorOptions)DetectorRegistry.CreateOptions(configuration.Detector);
        var color = splits.Train[0].LoadImage().Channels >= 3;
        options.Channels = color ? 3 : 1;
        var settings = Settings(options, configuration, request);
        options.Seed = seed;
        PreprocessingChoice.Configure(configuration.Preprocessing, options, color);
        try
        {
            options.ThrowIfInvalid();
        }
        catch (ArgumentException ex)
        {
            throw new HarnessException($"Configuration '{configuration.Name}': {ex.Message}");
        }

        var (pool, poolDescription) = configuration.Pool is { } poolSettings ? BuildPool(splits, poolSettings, dataset) : (null, null);
        var detector = DetectorRegistry.CreateDetector(configuration.Detector, options);
        var progress = new TrainingProgressLog(log, $"{dataset} {configuration.Name} seed {seed}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dataset} {configuration.Name} seed {seed}: training on {splits.Train.Count} normal images ({options.ValidationFraction * 100:0.#}% held out for validation){(pool is null ? "" : $", pool {pool.Count}")}, {TorchRuntime.CpuThreads} threads"));
        // The same split the detector would carve itself, made here so that the proxy below scores the held-out images.
        var split = ValidationSplit.Carve(splits.Train, options.ValidationFraction, seed);
        var clock = Stopwatch.StartNew();
        detector.Fit(new TrainingData(split.Train, pool, split.Validation), progress, cancellationToken);
        var trainingTime = clock.Elapsed;
        var proxy = ProxyAuroc.Compute(detector, split.Validation.Select(item => item.LoadImage()).ToList(), seed, cancellationToken);
        var report = detector.Evaluate(splits.Test, cancellationToken: cancellationToken);
        return Row(dataset, configuration, seed, options.ImageSize, progress.Last?.Epoch ?? 0, progress.Last?.Step ?? 0, trainingTime, report, settings,
            configuration.Preprocessing, poolDescription, detector.GetType(), request, TorchRuntime.Describe(TorchRuntime.ParseDevice(options.Device))) with
            {
                ProxyImageAuroc = proxy,
                ValidationMetric = progress.Last?.ValidationMetric,
                ValidationCurve = progress.Validations.Count == 0 ? null : progress.Validations,
                SelectedStep = detector.LastTraining?.SelectedStep,
            };
    }

    /// <summary>Applies the configuration's settings, then the overrides; returns the merged settings for the row.</summary>
    private static Dictionary<string, string> Settings(object options, BenchmarkConfiguration configuration, RunRequest request)
    {
        var merged = new Dictionary<string, string>(configuration.Options, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in request.Overrides)
        {
            merged[key] = value;
        }

        OptionsBinder.Apply(options, merged);
        return merged;
    }

    /// <summary>The unlabeled pool: abnormal candidates from the chosen extra folders, the rest normal training images.</summary>
    private static (IImageDataset Pool, string Description) BuildPool(DatasetSplits splits, PoolSettings settings, string dataset)
    {
        var folders = settings.Extra ?? [.. splits.Extra.Where(p => p.Value.Count > 0 && p.Value[0].Label == AnomalyLabel.Abnormal).Select(p => p.Key)];
        var missing = folders.FirstOrDefault(f => !splits.Extra.ContainsKey(f));
        if (missing is not null)
        {
            throw new HarnessException($"{dataset} has no extra/{missing}/ folder for the unlabeled pool; it has: {string.Join(", ", splits.Extra.Keys.DefaultIfEmpty("none"))}.");
        }

        if (folders.Count == 0 && settings.AbnormalRatio > 0)
        {
            throw new HarnessException($"{dataset} has no abnormal extra/ folder for the unlabeled pool; set the pool's abnormalRatio to 0 for a pool of normal images only, or name the folders.");
        }

        var candidates = new ImageDataset($"{dataset}/extra", folders.SelectMany(f => splits.Extra[f]));
        var size = settings.Size ?? splits.Train.Count;
        try
        {
            var pool = Sagan.UnlabeledPoolBuilder.Build(size, candidates, splits.Train, settings.AbnormalRatio);
            return (pool, settings.Describe(size, folders));
        }
        catch (ArgumentException ex)
        {
            throw new HarnessException($"Cannot build the unlabeled pool of {dataset}: {ex.Message}");
        }
    }

    private ResultRow Row(string dataset, BenchmarkConfiguration configuration, long seed, int imageSize, int epochs, long steps, TimeSpan trainingTime,
        EvaluationReport report, IReadOnlyDictionary<string, string> settings, string preprocessing, string? pool, Type detectorType, RunRequest request, string engine) => new(
            dataset,
            configuration.Detector,
            configuration.Name,
            seed,
            imageSize,
            epochs,
            steps,
            Math.Round(trainingTime.TotalSeconds, 1),
            report.Image.Auroc,
            report.Image.AveragePrecision,
            report.Image.F1Max,
            report.Pixel?.Auroc,
            report.Pixel?.BestDice,
            report.Pixel?.Aupro,
            report.Image.NormalCount,
            report.Image.AnomalousCount,
            new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal),
            preprocessing,
            pool,
            _commit,
            MachineInfo.VersionOf(detectorType),
            TorchRuntime.CpuThreads,
            Environment.ProcessorCount,
            MachineInfo.Describe(),
            DateTimeOffset.UtcNow,
            request.Command,
            engine);
}
