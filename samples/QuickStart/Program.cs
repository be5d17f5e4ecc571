// The quick start: trains a small SAGAN detector on the embedded PneumoniaMNIST subset (data/pneumoniamnist),
// evaluates it on the test split, prints metrics, what the threshold means and how it does there, shows example
// predictions of each outcome, and draws the ROC curve, the score histogram and the examples' panels.
//   dotnet run -c Release --project samples/QuickStart [-- DATA_FOLDER [ITERATIONS]]
using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.Plotting;
using AnomalyDetection.Sagan;

var dataFolder = args.Length > 0 ? args[0] : FindEmbeddedData();
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 400;

var splits = FolderDatasetReader.Read(dataFolder);
var normal = splits.Train;
// SAGAN is semi-supervised: besides normal images it learns from an unlabeled mix (here 60% pneumonia). A folder
// without extra/train_abnormal trains on its normal images alone (the detector warns that it does).
var pool = splits.Extra.TryGetValue("train_abnormal", out var abnormal)
    ? UnlabeledPoolBuilder.Build(normal.Count, abnormal, normal)
    : null;
// The images are 28 px, so 32 px loses nothing; at that size a critic of 5 stride-2 layers sees the whole image, and
// the width of 16 is the narrowest that was stable over seeds. Averaging the generator's weights steadies the short run.
// The maps are smoothed at about an opacity's scale, and the held-out normal images' mean map is subtracted from
// them: the restoration errs most at the heart's border on every image, which would otherwise hide where this one differs.
var options = new SaganOptions
{
    ImageSize = 32, ConvDim = 16, RepeatNum = 2, CriticRepeatNum = 5, GeneratorAverageDecay = 0.99,
    MaxSteps = iterations, Seed = 1, ValidationInterval = iterations,
    MapSmoothingSigma = 2, Calibration = { SubtractNormalMap = true },
};
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
Console.WriteLine($"Trained in {clock.Elapsed:mm\\:ss}");
var calibration = detector.Calibration.Image;
var threshold = calibration.Threshold;
Console.WriteLine(DescribeThreshold(calibration, options));

// Score the test split once, in batches as Evaluate does, keeping only scores and labels (a large folder never sits
// in memory); the metrics below are Evaluate's image metrics computed from these scores.
var test = splits.Test;
var scores = new List<float>(test.Count);
var labels = new List<bool>(test.Count);
foreach (var chunk in test.Chunk(options.BatchSize))
{
    var batch = detector.PredictBatch(chunk.Select(item => item.LoadImage()).ToList());
    scores.AddRange(batch.Select(p => p.Score));
    labels.AddRange(chunk.Select(item => item.Label == AnomalyLabel.Abnormal));
}

var metrics = ImageLevelMetrics.Compute(scores.ToArray(), labels.ToArray());
Console.WriteLine();
Console.WriteLine($"Test split: {metrics.NormalCount} normal, {metrics.AnomalousCount} pneumonia");
Console.WriteLine($"  image AUROC   {metrics.Auroc:F4}");
Console.WriteLine($"  image AP      {metrics.AveragePrecision:F4}");
Console.WriteLine($"  image F1-max  {metrics.F1Max:F4} (at score {metrics.F1MaxThreshold:F4})");
if (args.Length == 0)
{
    Console.WriteLine("  trivial baselines on this split: mean intensity 0.644, inverted intensity spread 0.824 (AUROC)");
}

// At the threshold: an image is called anomalous when its score is at or above it.
var flaggedAnomalous = scores.Where((score, i) => labels[i] && score >= threshold).Count();
var passedNormal = scores.Where((score, i) => !labels[i] && score < threshold).Count();
Console.WriteLine($"  at the threshold {threshold:F4}:");
Console.WriteLine($"    sensitivity {Percent(flaggedAnomalous, metrics.AnomalousCount)} ({flaggedAnomalous} of {metrics.AnomalousCount} pneumonia images flagged, {metrics.AnomalousCount - flaggedAnomalous} missed)");
Console.WriteLine($"    specificity {Percent(passedNormal, metrics.NormalCount)} ({passedNormal} of {metrics.NormalCount} normal images passed, {metrics.NormalCount - passedNormal} false alarms)");

// One example of each outcome that occurred, the first of its kind in the test split's order (not the best ones).
Console.WriteLine();
Console.WriteLine("Example predictions, one of each outcome:");
var outcomes = new (string Name, bool Anomalous, bool Flagged)[]
{
    ("pneumonia, flagged (true positive)", true, true),
    ("normal, passed (true negative)", false, false),
    ("pneumonia, missed (false negative)", true, false),
    ("normal, flagged (false alarm)", false, true),
};
var examples = outcomes
    .Select(o => (o.Name, Index: Enumerable.Range(0, scores.Count).FirstOrDefault(i => labels[i] == o.Anomalous && (scores[i] >= threshold) == o.Flagged, -1)))
    .Where(e => e.Index >= 0)
    .ToList();
var exampleImages = examples.Select(e => test[e.Index].LoadImage()).ToList();
var examplePredictions = detector.PredictBatch(exampleImages);

var outputFolder = Path.GetFullPath(Path.Combine("artifacts", "quickstart"));
var pictures = new List<string>();
for (var i = 0; i < examples.Count; i++)
{
    var (name, index) = examples[i];
    var item = test[index];
    var p = examplePredictions[i];
    Console.WriteLine($"  {name,-36} {item.Name,-28} score {p.Score:F4} {(p.IsAnomalous ? ">=" : "< ")} {threshold:F4}  {(p.IsAnomalous ? "ANOMALOUS" : "normal   ")}  p-value {p.PValue:F3}");
    var panel = Path.Combine(outputFolder, $"example-{i + 1}.panel.png");
    // One colour scale for every panel: dark blue at 0 (the normal baseline), dark red at the highest value held-out
    // normal images reached, so a normal image's map stays cool and a lesion stands out.
    await PredictionPanel.SaveAsync(exampleImages[i], p, panel, item.LoadMask(), new PredictionPanelOptions
    {
        Caption = $"{item.Name}: {name}",
        MapMinimum = detector.Calibration.Pixel is null ? null : 0,
        MapMaximum = (float?)detector.Calibration.Pixel?.Maximum,
    });
    pictures.Add(panel);
}

var rocPath = Path.Combine(outputFolder, "roc.png");
var histogramPath = Path.Combine(outputFolder, "score-histogram.png");
await EvaluationPlots.SaveRocAsync(scores, labels, rocPath, threshold);
await EvaluationPlots.SaveScoreHistogramAsync(scores, labels, threshold, histogramPath);
Console.WriteLine();
Console.WriteLine("Pictures:");
Console.WriteLine($"  ROC curve with the threshold's operating point  {rocPath}");
Console.WriteLine($"  test scores, normal vs pneumonia, and threshold  {histogramPath}");
foreach (var picture in pictures)
{
    Console.WriteLine($"  example prediction panel                        {picture}");
}

var modelPath = Path.Combine(outputFolder, "sagan-pneumoniamnist.adm");
await detector.SaveAsync(modelPath);
Console.WriteLine($"\nSaved the trained model to {modelPath}");

// What the calibrated threshold means, in the terms of how it was chosen.
static string DescribeThreshold(ScoreCalibration calibration, SaganOptions options) => calibration.Source switch
{
    ThresholdSource.NormalPercentile => string.Create(CultureInfo.InvariantCulture,
        $"Threshold {calibration.Threshold:F4}: the {options.Calibration.NormalPercentile:0.##}th percentile of the scores of the normal training images held out from training ({100 * options.ValidationFraction:0.##}% of train/normal), so about {100 - options.Calibration.NormalPercentile:0.##}% of normal images score at or above it: false alarms."),
    ThresholdSource.F1Max => string.Create(CultureInfo.InvariantCulture,
        $"Threshold {calibration.Threshold:F4}: the score that maximised F1 on validation images with both normal and anomalous examples."),
    _ => string.Create(CultureInfo.InvariantCulture, $"Threshold {calibration.Threshold:F4}: set by hand."),
};

static string Percent(int part, int whole) => whole == 0 ? "n/a" : (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture) + "%";

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
