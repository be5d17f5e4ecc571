using System.CommandLine;
using System.Globalization;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.Plotting;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>evaluate</c>: scores a labelled test split, prints the metrics and writes them as JSON with ROC, precision–recall and score-histogram pictures.</summary>
internal static class EvaluateCommand
{
    /// <summary>The JSON file written to the output folder.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>The ROC picture written to the output folder.</summary>
    public const string RocFile = "roc.png";

    /// <summary>The precision–recall picture written to the output folder.</summary>
    public const string PrecisionRecallFile = "pr.png";

    /// <summary>The score histogram (normal against anomalous, with the model's threshold) written to the output folder.</summary>
    public const string ScoresFile = "scores.png";

    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data("The labelled images to score", "a data folder with test/normal and test/abnormal, or a folder with normal/ and abnormal/; masks/ beside them is optional");
        var output = new Option<string>("--out")
        {
            Description = $"The folder for {MetricsFile}, {RocFile}, {PrecisionRecallFile} and {ScoresFile}.",
            DefaultValueFactory = _ => "evaluation",
        };
        var command = new Command("evaluate", "Score a labelled test split and report AUROC, AP and F1-max.") { model, data, output };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var modelPath = result.GetValue(model)!;
            var detector = await KnownDetectors.LoadAsync(modelPath, cancellationToken);
            var folder = CommonOptions.ResolveData(result.GetValue(data));
            // Only the labelled images are read: evaluation needs no train/ folder.
            var test = FolderDatasetReader.ReadTestSet(folder);
            if (test.Count == 0)
            {
                throw new CliException($"'{folder}' has no images in its normal/ or abnormal/ folders to evaluate on.");
            }

            // Checked before scoring: a bad --out used to fail only after the metrics were printed.
            var outputFolder = OutputFolder.Check(result.GetValue(output)!, "--out");
            await console.Out.WriteLineAsync($"Evaluating {detector.Kind} model {modelPath} on {test.Name} ({test.Count} images)");
            var scored = new List<ScoredImage>(test.Count);
            var scoredImages = BatchedScoring.ScoreAsync(
                test, (item, token) => item.LoadImageAsync(token), images => detector.PredictBatch(images, cancellationToken), cancellationToken: cancellationToken);
            await foreach (var (item, _, prediction) in scoredImages)
            {
                scored.Add(new ScoredImage(item.Name, item.Label.ToString(), prediction.Score, prediction.IsAnomalous));
            }

            var scores = scored.Select(s => s.Score).ToArray();
            var labels = test.Select(item => item.Label == AnomalyLabel.Abnormal).ToArray();
            ImageLevelMetrics image;
            try
            {
                image = ImageLevelMetrics.Compute(scores, labels);
            }
            catch (ArgumentException ex)
            {
                throw new CliException($"Cannot evaluate '{folder}': {ex.Message}");
            }

            // Pixel metrics need ground-truth masks, which only some data sets have; they take a second pass, which
            // Evaluate streams in batches too, pooling map pixels in a bounded accumulator.
            var pixel = test.Any(item => item.Mask is not null) ? detector.Evaluate(test, cancellationToken: cancellationToken).Pixel : null;

            WriteTable(console.Out, image, pixel);
            var report = new EvaluationResult(
                Path.GetFullPath(modelPath),
                folder,
                detector.Kind,
                image,
                pixel,
                scored);
            OutputFolder.Create(outputFolder, "--out");
            var metricsPath = Path.Combine(outputFolder, MetricsFile);
            await OutputFolder.WriteAsync(metricsPath, () => Json.WriteAsync(metricsPath, report, cancellationToken));
            // The pictures mark the model's own threshold, so they show what its labels mean on this data.
            var threshold = detector.Calibration.Image.Threshold;
            var pictures = new (string File, Func<string, Task> Save)[]
            {
                (RocFile, path => EvaluationPlots.SaveRocAsync(scores, labels, path, threshold, cancellationToken)),
                (PrecisionRecallFile, path => EvaluationPlots.SavePrecisionRecallAsync(scores, labels, path, threshold, cancellationToken)),
                (ScoresFile, path => EvaluationPlots.SaveScoreHistogramAsync(scores, labels, threshold, path, cancellationToken)),
            };
            foreach (var (file, save) in pictures)
            {
                var path = Path.Combine(outputFolder, file);
                await OutputFolder.WriteAsync(path, () => save(path));
            }

            await console.Out.WriteLineAsync($"Wrote {metricsPath}, {RocFile}, {PrecisionRecallFile} and {ScoresFile}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(TextWriter writer, ImageLevelMetrics image, PixelLevelMetrics? pixel)
    {
        var rows = new List<(string Name, string Value)>
        {
            ("images (normal / anomalous)", $"{image.NormalCount} / {image.AnomalousCount}"),
            ("image AUROC", F(image.Auroc)),
            ("image AP", F(image.AveragePrecision)),
            ("image F1-max", $"{F(image.F1Max)} (at score {F(image.F1MaxThreshold)})"),
        };
        if (pixel is not null)
        {
            rows.Add(("pixel AUROC", F(pixel.Auroc)));
            rows.Add(("pixel AP", F(pixel.AveragePrecision)));
            rows.Add(("pixel best Dice", F(pixel.BestDice)));
            rows.Add(("pixel AUPRO", $"{F(pixel.Aupro)} (FPR ≤ {pixel.AuproFprLimit.ToString(CultureInfo.InvariantCulture)})"));
        }

        var width = rows.Max(r => r.Name.Length);
        writer.WriteLine();
        writer.WriteLine($"  {"metric".PadRight(width)}  value");
        writer.WriteLine($"  {new string('-', width)}  {new string('-', 24)}");
        foreach (var (name, value) in rows)
        {
            writer.WriteLine($"  {name.PadRight(width)}  {value}");
        }

        writer.WriteLine();
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The content of <see cref="MetricsFile"/>.</summary>
    internal sealed record EvaluationResult(string Model, string Data, string Kind, ImageLevelMetrics Image, PixelLevelMetrics? Pixel, IReadOnlyList<ScoredImage> Scores);

    /// <summary>One test image's score.</summary>
    internal sealed record ScoredImage(string Name, string Label, float Score, bool IsAnomalous);
}
