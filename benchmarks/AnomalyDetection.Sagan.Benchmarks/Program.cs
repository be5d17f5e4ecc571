// SAGAN timing and the pneumoniamnist accuracy run.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Sagan.Benchmarks -- time [--conv-dim 16] [--repeat-num 6] [--batch 32] [--rounds 3] [--threads 2]
//     One training iteration (critic step, and critic + generator step) at 64×64, as
//     /usr/bin/python3 tools/sagan/sagan_reference.py time --conv-dim 16 measures it in PyTorch.
//   dotnet run -c Release --project benchmarks/AnomalyDetection.Sagan.Benchmarks -- pneumonia [--data DIR] [--conv-dim 16] [--iterations 1000] [--seed 0] [--threads 2] [--save FILE]
//     Trains on DIR/train/normal with an unlabeled pool of |train| images, 60% from DIR/extra/train_abnormal and the
//     rest the first normal training images (the data set has no other normals), then evaluates on DIR/test.
using System.Diagnostics;
using System.Globalization;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Sagan;
using AnomalyDetection.Tensors;
using AnomalyDetection.Tensors.Kernels;
using Microsoft.Extensions.Logging.Abstractions;

var settings = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    settings[args[i].TrimStart('-')] = args[i + 1];
}

string Text(string name, string fallback) => settings.GetValueOrDefault(name, fallback);
int Number(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

Parallelism.ThreadCount = Number("threads", 2);
switch (args.FirstOrDefault())
{
    case "time":
        Time(Number("conv-dim", 16), Number("repeat-num", 6), Number("batch", 32), Number("rounds", 3));
        return 0;
    case "pneumonia":
        Pneumonia(Text("data", "/work/shared/datasets/pneumoniamnist"), Number("conv-dim", 16), Number("iterations", 1000), Number("seed", 0), settings.GetValueOrDefault("save"));
        return 0;
    default:
        Console.WriteLine("Usage: time [--conv-dim N] [--repeat-num N] [--batch N] [--rounds N] [--threads N] | pneumonia [--data DIR] [--conv-dim N] [--iterations N] [--seed N] [--threads N] [--save FILE]");
        return 1;
}

static void Time(int convDim, int repeatNum, int batch, int rounds)
{
    var options = new SaganOptions { ConvDim = convDim, RepeatNum = repeatNum, BatchSize = batch };
    var random = new RandomSource(0);
    TrainingImageSet Images(int count) => TrainingImageSet.Load(
        ImageDataset.FromImages("random", Enumerable.Range(0, count).Select(_ => RandomImage(random, 64)), AnomalyLabel.Normal),
        options.DefaultPreprocessing());
    var trainer = new SaganTrainer(options, new TrainingContext(Images(2 * batch), Images(2 * batch), Images(batch), random, NullLogger.Instance));
    var losses = new Dictionary<string, double>();
    trainer.Update(trainer.DrawBatch(0, updateGenerator: true), losses); // warm-up

    var criticOnly = new List<double>();
    var both = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var batchCritic = trainer.DrawBatch(2 * round, updateGenerator: false);
        var clock = Stopwatch.StartNew();
        trainer.Update(batchCritic, losses);
        criticOnly.Add(clock.Elapsed.TotalMilliseconds);

        var batchBoth = trainer.DrawBatch((2 * round) + 1, updateGenerator: true);
        clock.Restart();
        trainer.Update(batchBoth, losses);
        both.Add(clock.Elapsed.TotalMilliseconds);
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"managed sagan conv_dim={convDim} batch={batch} threads={Parallelism.ThreadCount}: critic-only {Median(criticOnly):F0} ms, critic+generator {Median(both):F0} ms " +
        $"(generator {trainer.Generator.ParameterCount():N0}, critic {trainer.Critic.ParameterCount():N0} parameters)"));
}

static void Pneumonia(string root, int convDim, int iterations, int seed, string? save)
{
    var splits = FolderDatasetReader.Read(root);
    var normal = splits.Train;
    var pool = UnlabeledPoolBuilder.Build(normal.Count, splits.Extra["train_abnormal"], normal);
    var options = new SaganOptions { ConvDim = convDim, Iterations = iterations, Seed = seed, ValidationInterval = 100 };
    var detector = new SaganDetector(options);
    Console.WriteLine($"SAGAN conv_dim={convDim} iterations={iterations} seed={seed} threads={Parallelism.ThreadCount}: {normal.Count} normal (10% held out for validation), pool {pool.Count}, test {splits.Test.Count}");

    var clock = Stopwatch.StartNew();
    detector.Fit(new TrainingData(normal, pool), new Progress(iterations));
    Console.WriteLine($"trained in {clock.Elapsed}");
    var report = detector.Evaluate(splits.Test);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test AUROC {report.Image.Auroc:F4}  AP {report.Image.AveragePrecision:F4}  F1max {report.Image.F1Max:F4}"));
    if (save is not null)
    {
        detector.SaveAsync(save).GetAwaiter().GetResult();
    }
}

static ImageData RandomImage(RandomSource random, int size)
{
    var pixels = new float[size * size];
    random.FillUniform(pixels, 0f, 1f);
    return ImageData.FromPlanar(size, size, 1, pixels);
}

/// <summary>Prints the losses every 50 iterations.</summary>
internal sealed class Progress(int total) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.Step % 50 == 0 || value.Step == total)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{value.Step,6}/{total}  {string.Join("  ", value.Losses.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value:F4}"))}  validation {value.ValidationMetric:F4}  {value.Elapsed:hh\\:mm\\:ss} (eta {value.EstimatedRemaining:hh\\:mm\\:ss})"));
        }
    }
}
