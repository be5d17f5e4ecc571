using System.CommandLine;
using System.Globalization;
using AnomalyDetection.Calibration;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Plotting;
using AnomalyDetection.Visualization;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>predict</c>: scores images, prints one line per image and draws their anomaly maps.</summary>
internal static class PredictCommand
{
    /// <summary>The JSON file of all predictions, written to the output folder.</summary>
    public const string PredictionsFile = "predictions.json";

    /// <summary>The heatmap's weight in the overlays when <c>--alpha</c> is not given.</summary>
    private const float DefaultAlpha = 0.5f;

    /// <summary>Overlays of smaller images are enlarged, pixel by pixel, until their longer side reaches this.</summary>
    public const int ReadableSide = 256;

    public static Command Create(CliConsole console)
    {
        var model = CommonOptions.Model();
        var inputs = new Argument<string[]>("images")
        {
            Description = "Image files (PNG, PGM, PPM) or folders of them.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = $"The folder for the pictures (<name>.overlay.png, <name>.panel.png) and {PredictionsFile}.",
            DefaultValueFactory = _ => "predictions",
        };
        var alpha = new Option<float>("--alpha")
        {
            Description = "The heatmap's weight in the overlays, in [0, 1].",
            DefaultValueFactory = _ => DefaultAlpha,
            CustomParser = OptionValueParsers.Number(DefaultAlpha),
        };
        var command = new Command("predict", "Score images and write heatmap overlays and input | map | overlay pictures.") { model, inputs, output, alpha };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var weight = result.GetValue(alpha);
            if (!(weight is >= 0f and <= 1f))
            {
                throw new CliException($"--alpha must be in [0, 1] (was {weight.ToString(CultureInfo.InvariantCulture)}).");
            }

            var detector = await KnownDetectors.LoadAsync(result.GetValue(model)!, cancellationToken);
            var files = ImageFiles.Expand(result.GetValue(inputs)!);
            var outputFolder = OutputFolder.Check(result.GetValue(output)!, "--out");
            var width = Math.Max(5, files.Max(f => Path.GetFileName(f).Length));
            var rows = new List<ImagePrediction>(files.Count);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var scoredImages = BatchedScoring.ScoreAsync(
                files, (file, token) => ImageIO.LoadAsync(file, token), images => detector.PredictBatch(images, cancellationToken), cancellationToken: cancellationToken);
            await foreach (var (file, image, p) in scoredImages)
            {
                if (rows.Count == 0)
                {
                    // Only once the first batch has scored: inputs that fail to load leave the folder untouched.
                    StartWriting(outputFolder);
                    await console.Out.WriteLineAsync($"{"image".PadRight(width)}  {"score",9}  {"normalised",10}  {"label",-9}  p-value");
                }

                var label = p.IsAnomalous ? "ANOMALOUS" : "normal";
                await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(file).PadRight(width)}  {p.Score,9:F5}  {p.NormalizedScore,10:F3}  {label,-9}  {(p.PValue is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-")}"));
                (string Overlay, string Panel)? pictures = p.Map is not null
                    ? await DrawAsync(file, image, p, detector.Calibration.Pixel, weight, outputFolder, UniqueName(file, names), cancellationToken)
                    : null;
                rows.Add(new ImagePrediction(Path.GetFullPath(file), p.Score, p.NormalizedScore, p.IsAnomalous, p.Threshold, p.PValue, pictures?.Overlay, pictures?.Panel));
            }

            var predictionsPath = Path.Combine(outputFolder, PredictionsFile);
            await OutputFolder.WriteAsync(predictionsPath, () => Json.WriteAsync(predictionsPath, rows, cancellationToken));
            await console.Out.WriteLineAsync($"Wrote pictures and {PredictionsFile} to {outputFolder}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Creates the output folder and removes the previous run's <see cref="PredictionsFile"/>, just before the
    /// first picture is written: a run that stops part-way (Ctrl-C, a full disk) must not leave an old list of
    /// predictions beside new pictures. The new list is written, atomically, only once every image is done.</summary>
    private static void StartWriting(string outputFolder)
    {
        OutputFolder.Create(outputFolder, "--out");
        OutputFolder.RemoveStale(Path.Combine(outputFolder, PredictionsFile));
    }

    /// <summary>Writes the overlay and the panel (verdict, score and threshold over input | map with colour bar |
    /// overlay). Maps are coloured on the pixel calibration's scale when the model has one (its threshold in the
    /// middle of the colormap, so colours compare across images), otherwise on each map's own range.</summary>
    private static async Task<(string Overlay, string Panel)> DrawAsync(
        string file, ImageData image, AnomalyPrediction prediction, ScoreCalibration? pixel, float alpha, string folder, string name, CancellationToken cancellationToken)
    {
        var map = prediction.Map!;
        (float Minimum, float Maximum)? range = null;
        if (pixel is not null)
        {
            var half = (float)(pixel.Maximum - pixel.Minimum) / 2;
            range = ((float)pixel.Threshold - half, (float)pixel.Threshold + half);
        }

        var overlay = PixelEnlargement.ToAtLeast(
            range is var (minimum, maximum) ? HeatmapOverlay.Create(image, map, minimum, maximum, alpha) : HeatmapOverlay.Create(image, map, alpha),
            ReadableSide);
        var overlayPath = Path.Combine(folder, $"{name}.overlay.png");
        var panelPath = Path.Combine(folder, $"{name}.panel.png");
        await OutputFolder.WriteAsync(overlayPath, () => ImageIO.SavePngAsync(overlay, overlayPath, cancellationToken: cancellationToken));
        var panel = new PredictionPanelOptions
        {
            OverlayWeight = alpha,
            MapMinimum = range?.Minimum,
            MapMaximum = range?.Maximum,
            Caption = Path.GetFileName(file),
        };
        await OutputFolder.WriteAsync(panelPath, () => PredictionPanel.SaveAsync(image, prediction, panelPath, options: panel, cancellationToken: cancellationToken));
        return (overlayPath, panelPath);
    }

    /// <summary>The file's name without extension, numbered when two inputs share it.</summary>
    private static string UniqueName(string file, HashSet<string> taken)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        var name = stem;
        for (var n = 2; !taken.Add(name); n++)
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
        }

        return name;
    }

    /// <summary>One entry of <see cref="PredictionsFile"/>.</summary>
    internal sealed record ImagePrediction(
        string Path, float Score, float NormalizedScore, bool IsAnomalous, float Threshold, double? PValue, string? Overlay, string? Panel);
}
