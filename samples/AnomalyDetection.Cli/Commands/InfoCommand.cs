using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AnomalyDetection.Calibration;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>info</c>: describes what a model file holds.</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<string>("model") { Description = "A model file written by train." };
        var command = new Command("info", "Show a model file's detector kind, options, calibration, parameter count, seed and versions.") { model };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var path = result.GetValue(model)!;
            var (manifest, weights) = await KnownDetectors.ReadAsync(path, cancellationToken);

            // Already checked while the file was read; a degenerate calibration never reaches this point.
            var calibration = ManifestCalibration.Read(manifest.Calibration, path);
            var parameters = weights.Values.Sum(t => t.numel());
            var o = console.Out;
            var c = CultureInfo.InvariantCulture;
            await o.WriteLineAsync($"Model file     {Path.GetFullPath(path)}");
            await o.WriteLineAsync($"Detector       {manifest.Kind}");
            await o.WriteLineAsync(string.Create(c, $"Parameters     {parameters:N0} in {weights.Count} tensors"));
            await o.WriteLineAsync(string.Create(c, $"Seed           {manifest.Seed} ({manifest.ThreadCount} kernel threads)"));
            await o.WriteLineAsync(string.Create(c, $"Written        {manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC by AnomalyDetection {manifest.LibraryVersion}, format {manifest.FormatVersion}"));
            if (manifest.Training is { } training)
            {
                var losses = string.Join("  ", training.FinalLosses.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => string.Create(c, $"{l.Key} {l.Value:F4}")));
                await o.WriteLineAsync(string.Create(c, $"Training       {training.Steps} steps in {training.Elapsed:hh\\:mm\\:ss}{(training.SelectedStep is { } s ? $", kept step {s}" : "")}; final losses {losses}"));
            }

            await o.WriteLineAsync($"Image scores   {Describe(calibration.Image)}");
            await o.WriteLineAsync($"Map pixels     {(calibration.Pixel is { } pixel ? Describe(pixel) : "not calibrated")}");
            await o.WriteLineAsync($"p-values       {(calibration.ImagePValues is { } pValues ? pValues.GetType().Name.Replace("PValueModel", "", StringComparison.Ordinal).ToLowerInvariant() : "none")}");
            if (calibration.ImagePValues is EmpiricalPValueModel empirical)
            {
                // Ranked among n held-out normal scores, no p-value can be below 1 / (n + 1).
                await o.WriteLineAsync(string.Create(c, $"               smallest possible: {1.0 / (empirical.NormalScores.Count + 1):G3} (1 / ({empirical.NormalScores.Count} held-out normal images + 1))"));
            }

            await o.WriteLineAsync("Options");
            await o.WriteLineAsync(JsonSerializer.Serialize(manifest.Options, ModelFile.JsonOptions));
            await o.WriteLineAsync("Preprocessing");
            await o.WriteLineAsync(JsonSerializer.Serialize(manifest.Preprocessing, ModelFile.JsonOptions));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(ScoreCalibration calibration) => string.Create(CultureInfo.InvariantCulture,
        $"threshold {calibration.Threshold:G6} ({calibration.Source}), validation range [{calibration.Minimum:G6}, {calibration.Maximum:G6}]");
}
