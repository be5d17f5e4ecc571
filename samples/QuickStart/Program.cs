// The quick start: trains a small SAGAN detector on the embedded PneumoniaMNIST subset (data/pneumoniamnist),
// evaluates it on the test split and prints scores and metrics.
//   dotnet run -c Release --project samples/QuickStart [-- DATA_FOLDER [ITERATIONS]]
using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Sagan;

var dataFolder = args.Length > 0 ? args[0] : FindEmbeddedData();
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;

var splits = FolderDatasetReader.Read(dataFolder);
var normal = splits.Train;
// SAGAN is semi-supervised: besides normal images it learns from an unlabeled mix (here 60% pneumonia). A folder
// without extra/train_abnormal trains on its normal images alone (the detector warns that it does).
var pool = splits.Extra.TryGetValue("train_abnormal", out var abnormal)
    ? UnlabeledPoolBuilder.Build(normal.Count, abnormal, normal)
    : null;
var options = new SaganOptions { ConvDim = 8, RepeatNum = 2, Iterations = iterations, Seed = 1, ValidationInterval = iterations };
var detector = new SaganDetector(options);

Console.WriteLine(pool is null
    ? $"Training SAGAN (ConvDim {options.ConvDim}, {iterations} iterations) on {normal.Count} normal images from {dataFolder} (no extra/train_abnormal: no unlabeled pool)"
    : $"Training SAGAN (ConvDim {options.ConvDim}, {iterations} iterations) on {normal.Count} normal images and an unlabeled pool of {pool.Count} from {dataFolder}");
var clock = Stopwatch.StartNew();
detector.Fit(new TrainingData(normal, pool), new Progress<TrainingProgress>(p =>
{
    if (p.Step % 50 == 0 || p.Step == p.TotalSteps)
    {
        var losses = string.Join("  ", p.Losses.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value:F3}"));
        Console.WriteLine($"  step {p.Step,5}/{p.TotalSteps}  {losses}  (remaining {(p.EstimatedRemaining is { } left ? left.ToString(@"mm\:ss", CultureInfo.InvariantCulture) : "estimating")})");
    }
}));
Console.WriteLine($"Trained in {clock.Elapsed:mm\\:ss}; threshold {detector.Calibration.Image.Threshold:F4} ({detector.Calibration.Image.Source})");

var test = splits.Test;
var report = detector.Evaluate(test);
Console.WriteLine();
Console.WriteLine($"Test split: {report.Image.NormalCount} normal, {report.Image.AnomalousCount} pneumonia");
Console.WriteLine($"  image AUROC   {report.Image.Auroc:F4}");
Console.WriteLine($"  image AP      {report.Image.AveragePrecision:F4}");
Console.WriteLine($"  image F1-max  {report.Image.F1Max:F4} (at score {report.Image.F1MaxThreshold:F4})");
if (args.Length == 0)
{
    Console.WriteLine("  trivial baselines on this split: mean intensity 0.644, inverted intensity spread 0.824 (AUROC)");
}

Console.WriteLine();
Console.WriteLine("A few predictions:");
var sample = test.Where((_, i) => i % 45 == 0).ToList();
var predictions = detector.PredictBatch(sample.Select(s => s.LoadImage()).ToList());
for (var i = 0; i < sample.Count; i++)
{
    var p = predictions[i];
    Console.WriteLine($"  {sample[i].Name,-28} truth {sample[i].Label,-8} score {p.Score:F4}  normalised {p.NormalizedScore:F2}  {(p.IsAnomalous ? "ANOMALOUS" : "normal   ")}  p-value {p.PValue:F3}");
}

var modelPath = Path.Combine("artifacts", "quickstart", "sagan-pneumoniamnist.adm");
await detector.SaveAsync(modelPath);
Console.WriteLine($"\nSaved the trained model to {modelPath}");

static string FindEmbeddedData()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        var candidate = Path.Combine(folder.FullName, "data", "pneumoniamnist");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new DirectoryNotFoundException("The embedded data folder data/pneumoniamnist was not found above " + AppContext.BaseDirectory);
}
