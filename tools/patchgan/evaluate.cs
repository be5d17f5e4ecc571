#:project ../../src/AnomalyDetection.PatchGan/AnomalyDetection.PatchGan.csproj
#:property PublishAot=false

// Trains Patch-GAN on a dataset folder (train/normal) and evaluates it on the folder's test split.
//   dotnet run tools/patchgan/evaluate.cs -- <dataset> [key=value ...]
// <dataset> is a folder in the project's layout, such as ../shared/datasets/lgg_flair; key=value pairs set
// PatchGanOptions properties by name (ImageSize=64 MaxSteps=300 Ranking=None UseMasking=false ...), plus
// save=<path> to keep the model. Preprocessing follows the research notes: gray images are z-scored inside the
// foreground and flipped left-right during training; RGB images are scaled to [-1, 1] and flipped and rotated by up
// to 10 degrees.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.PatchGan;
using AnomalyDetection.Preprocessing;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: dotnet run tools/patchgan/evaluate.cs -- <dataset folder> [Option=value ...] [save=<model path>]");
    return 2;
}

var splits = FolderDatasetReader.Read(args[0]);
var options = new PatchGanOptions { ImageSize = 64, Channels = splits.Train[0].LoadImage().Channels >= 3 ? 3 : 1 };
string? savePath = null;
foreach (var setting in args.Skip(1))
{
    var (key, value) = (setting[..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    if (key == "save")
    {
        savePath = value;
        continue;
    }

    var property = typeof(PatchGanOptions).GetProperty(key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
        ?? throw new ArgumentException($"PatchGanOptions has no setting '{key}'.");
    var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
    property.SetValue(options, type.IsEnum ? Enum.Parse(type, value, ignoreCase: true) : Convert.ChangeType(value, type, CultureInfo.InvariantCulture));
}

options.Preprocessing = options.Channels == 1
    ? new PreprocessingPipeline(
    [
        new ConvertChannelsStep(1),
        new ResizeStep(options.ImageSize, options.ImageSize),
        new ForegroundZScoreStep(threshold: 0.02f),
        new RandomFlipStep(horizontalProbability: 0.5),
    ])
    : new PreprocessingPipeline(
    [
        new ConvertChannelsStep(3),
        new ResizeStep(options.ImageSize, options.ImageSize),
        new RescaleIntensityStep(),
        new RandomFlipStep(horizontalProbability: 0.5, verticalProbability: 0.5),
        new RandomRotationStep(maxDegrees: 10),
    ]);

var detector = new PatchGanDetector(options);
var clock = Stopwatch.StartNew();
detector.Fit(new TrainingData(splits.Train), new ConsoleProgress());
var trainingTime = clock.Elapsed;
var report = detector.Evaluate(splits.Test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(args[0]))}: {detector.LastTraining!.Steps} steps in {trainingTime:hh\\:mm\\:ss}, image AUROC {report.Image.Auroc:F3} AP {report.Image.AveragePrecision:F3} F1-max {report.Image.F1Max:F3}"));
if (report.Pixel is { } pixel)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  pixel AUROC {pixel.Auroc:F3} best Dice {pixel.BestDice:F3} AUPRO {pixel.Aupro:F3} (FPR ≤ {pixel.AuproFprLimit})"));
}

if (savePath is not null)
{
    await detector.SaveAsync(savePath);
}

return 0;

/// <summary>Prints the losses every 30 seconds and at the last step, on the training thread.</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private TimeSpan _last = TimeSpan.Zero;

    public void Report(TrainingProgress value)
    {
        if (value.Elapsed - _last < TimeSpan.FromSeconds(30) && value.Step != value.TotalSteps)
        {
            return;
        }

        _last = value.Elapsed;
        var losses = string.Join(" ", value.Losses.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key}={l.Value:F4}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {value.Step}/{value.TotalSteps} epoch {value.Epoch} {value.Elapsed:hh\\:mm\\:ss} {losses}"));
    }
}
