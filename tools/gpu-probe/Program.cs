// Trains SAGAN for a few iterations on a GPU through TorchSharp, borrowing the CUDA LibTorch of a PyTorch install.
//   dotnet publish tools/gpu-probe -c Release -o artifacts/gpu-probe
//   then, on the GPU machine:  LD_LIBRARY_PATH=$TORCH_LIB artifacts/gpu-probe/GpuProbe $TORCH_LIB [cuda|cpu]
using System.Diagnostics;
using System.Runtime.InteropServices;
using AnomalyDetection.Data;
using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using AnomalyDetection.Sagan;
using TorchSharp;

var libraryFolder = args.Length > 0 ? args[0] : ".";
var device = args.Length > 1 ? args[1] : "cuda";

// Loading LibTorch's libraries by path first makes TorchSharp's own libLibTorchSharp.so bind to them.
foreach (var name in new[] { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
{
    Console.WriteLine($"load {name}: {(NativeLibrary.TryLoad(Path.Combine(libraryFolder, name), out _) ? "ok" : "not loaded")}");
}

torch.InitializeDeviceType(device == "cpu" ? DeviceType.CPU : DeviceType.CUDA);
Console.WriteLine($"TorchSharp built for LibTorch {torch.__version__}; CUDA available: {torch.cuda.is_available()}, devices: {torch.cuda.device_count()}");

var random = new Random(1);
ImageData Scan(bool lesion)
{
    var pixels = new float[64 * 64];
    for (var i = 0; i < pixels.Length; i++)
    {
        var (y, x) = (i / 64, i % 64);
        pixels[i] = (float)(0.3 + (0.2 * random.NextDouble()) + (lesion && x is > 20 and < 40 && y is > 20 and < 40 ? 0.4 : 0));
    }

    return ImageData.FromPlanar(64, 64, 1, pixels);
}

var normal = ImageDataset.FromImages("normal", [.. Enumerable.Range(0, 72).Select(_ => Scan(false))], AnomalyLabel.Normal);
var pool = ImageDataset.FromImages("pool", [.. Enumerable.Range(0, 64).Select(i => Scan(i % 2 == 0))], AnomalyLabel.Unknown);
foreach (var (convDim, iterations) in new[] { (16, 1), (16, 21), (64, 11), (64, 111) })
{
    var detector = new SaganDetector(new SaganOptions { Device = device, ConvDim = convDim, MaxSteps = iterations, ValidationInterval = iterations, BatchSize = 32, Seed = 1 });
    var clock = Stopwatch.StartNew();
    detector.Fit(new TrainingData(normal, pool));
    var prediction = detector.Predict(Scan(true));
    Console.WriteLine($"SAGAN ConvDim {convDim}, batch 32, 64×64 on {device}: {iterations} iteration(s) and calibration in {clock.Elapsed.TotalSeconds:F2} s; " +
        $"threshold {detector.Calibration.Image.Threshold:F4}; a bright square scores {prediction.Score:F4}");
}
