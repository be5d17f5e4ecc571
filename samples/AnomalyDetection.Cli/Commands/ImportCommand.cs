using System.CommandLine;
using System.Globalization;
using AnomalyDetection.Data;
using AnomalyDetection.Engine;
using AnomalyDetection.Sagan;
using AnomalyDetection.Sagan.Interop;

namespace AnomalyDetection.Cli.Commands;

/// <summary><c>import</c>: turns a generator checkpoint of the SAGAN authors' code into a calibrated model file.</summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var checkpoint = new Argument<string>("checkpoint")
        {
            Description = "The authors' generator checkpoint (<iteration>-G.ckpt, a torch.save state dict), or the same names as .safetensors.",
        };
        var normal = new Option<string[]>("--normal", "-n")
        {
            Description = "Normal images (PNG, PGM, PPM) or folders of them, to calibrate the thresholds on (at least 2).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var imageSize = new Option<int?>("--image-size")
        {
            Description = "The side images are resized to; the weights do not store it. Defaults to 64, the authors' size.",
            CustomParser = OptionValueParsers.WholeNumber,
        };
        var batchSize = new Option<int?>("--batch-size") { Description = "Images per scoring batch.", CustomParser = OptionValueParsers.WholeNumber };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The model file to write.",
            DefaultValueFactory = _ => "model.adm",
        };
        var command = new Command("import", "Import a SAGAN generator checkpoint of the authors' PyTorch code, calibrate it on normal images and save a model file.")
        {
            checkpoint, normal, imageSize, batchSize, output,
        };
        command.SetGuardedAction(console, async (result, cancellationToken) =>
        {
            var path = result.GetValue(checkpoint)!;
            var outputPath = Path.GetFullPath(result.GetValue(output)!);
            using var read = Read(path);
            var o = console.Out;
            var c = CultureInfo.InvariantCulture;
            await o.WriteLineAsync($"Checkpoint     {Path.GetFullPath(path)}");
            await o.WriteLineAsync(string.Create(c,
                $"Architecture   ConvDim {read.ConvDim}, {read.RepeatNum} residual blocks, {read.Channels} channel(s) (inferred from the tensor shapes)"));
            await o.WriteLineAsync(string.Create(c,
                $"Tensors        {read.Weights.Count} mapped one to one onto the SAGAN generator; {read.IgnoredBuffers.Count} running-statistics buffers ignored (the authors' code never reads them)"));

            var options = new SaganOptions();
            options.ImageSize = result.GetValue(imageSize) ?? options.ImageSize;
            options.BatchSize = result.GetValue(batchSize) ?? options.BatchSize;
            await o.WriteLineAsync(string.Create(c,
                $"Image size     {options.ImageSize}×{options.ImageSize}{(result.GetValue(imageSize) is null ? " (the default: the weights do not store it; --image-size to change)" : "")}"));

            var files = ImageFiles.Expand(result.GetValue(normal)!);
            var images = new ImageDataset("normal", files.Select(f => new LabeledImage(Path.GetFileName(f), AnomalyLabel.Normal, ImageSource.FromFile(f))));
            SaganDetector detector;
            try
            {
                detector = SaganDetector.FromAuthorsCheckpoint(read, images, options, cancellationToken: cancellationToken);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }

            await detector.SaveAsync(outputPath, cancellationToken);
            var threshold = detector.Calibration.Image;
            await o.WriteLineAsync(string.Create(c,
                $"Calibrated on  {images.Count} normal images; image threshold {threshold.Threshold:F5} ({threshold.Source})"));
            await o.WriteLineAsync($"Saved {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static AuthorsGeneratorCheckpoint Read(string path)
    {
        try
        {
            return AuthorsGeneratorCheckpoint.Read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or StateDictMismatchException)
        {
            throw new CliException(ex.Message);
        }
    }
}
