using AnomalyDetection.Data;
using AnomalyDetection.Engine;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;
using AnomalyDetection.Sagan.Interop;
using AnomalyDetection.Sagan.Tests.Helpers;
using AnomalyDetection.TestSupport;
using TorchSharp;
using Xunit.Abstractions;
using Tensor = TorchSharp.torch.Tensor;

namespace AnomalyDetection.Sagan.Tests.Interop;

/// <summary>
/// Import and export of the SAGAN authors' generator checkpoints, against tools/sagan/make_interop_fixture.py: a
/// ConvDim-4, one-block generator with the authors' names and layout (including the running-statistics buffers their
/// instance norms carry), saved with torch.save as their solver does, and its outputs in PyTorch 1.13.
/// Tolerances: 2e-5 absolute on restored images, as the reference parity tests.
/// </summary>
public sealed class AuthorsCheckpointTests(ITestOutputHelper output) : IDisposable
{
    private const string CheckpointFile = "100-G.ckpt";
    private const int ConvDim = 4;
    private const int RepeatNum = 1;

    // 20 affine instance norms at one residual block: stem, 3 encoders, 2 per residual block, 2 per decoder block (3),
    // 3 upsamplings, 3 fusion upsamplings and the fusion block's 2.
    private const int TrackedNorms = 20;

    private readonly string _folder = Directory.CreateTempSubdirectory("sagan-interop-").FullName;
    private readonly Fixture _outputs = Fixture.Load("interop/outputs.safetensors");

    private static string CheckpointPath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "interop", CheckpointFile);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_AuthorsCheckpoint_InfersTheArchitectureAndIgnoresRunningStatistics()
    {
        using var checkpoint = AuthorsGeneratorCheckpoint.Read(CheckpointPath);

        Assert.Equal((1, ConvDim, RepeatNum), (checkpoint.Channels, checkpoint.ConvDim, checkpoint.RepeatNum));
        Assert.Equal(3 * TrackedNorms, checkpoint.IgnoredBuffers.Count);
        Assert.All(checkpoint.IgnoredBuffers, name => Assert.Matches(@"\.(running_mean|running_var|num_batches_tracked)$", name));
        using var generator = new SaganGenerator(1, ConvDim, RepeatNum, new RandomSource(0));
        Assert.Equal(generator.state_dict().Keys.Order(StringComparer.Ordinal), checkpoint.Weights.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Import_AuthorsCheckpoint_ReproducesPyTorchOutputs()
    {
        using var checkpoint = AuthorsGeneratorCheckpoint.Read(CheckpointPath);
        using var generator = new SaganGenerator(1, ConvDim, RepeatNum, new RandomSource(0));
        StateDicts.LoadStrict(generator, checkpoint.Weights, "generator");
        using var noGrad = torch.no_grad();

        Compare(_outputs["restored"], generator.Restore(_outputs["input"]), "restored");
        Compare(_outputs["restored_mixed"], generator.Restore(_outputs["input"], _outputs["keep_mask"]), "restored with the keep mask");
    }

    [Fact]
    public async Task FromAuthorsCheckpoint_CalibratesAndScoresAsPyTorch_AndSavesAModelFile()
    {
        using var checkpoint = AuthorsGeneratorCheckpoint.Read(CheckpointPath);
        var normal = SyntheticScans.GradientDataset("normal", 6, 64, seed: 3, abnormal: false);
        var detector = SaganDetector.FromAuthorsCheckpoint(checkpoint, normal, new SaganOptions { ConvDim = 64, BatchSize = 4 });

        Assert.Equal((ConvDim, RepeatNum, 64), (detector.Options.ConvDim, detector.Options.RepeatNum, detector.Options.ImageSize));
        Assert.Null(detector.LastTraining);

        // The fixture's inputs in [-1, 1] as [0, 1] images: the default preprocessing maps them back exactly.
        var input = TensorData.ToArray(_outputs["input"]);
        var images = Enumerable.Range(0, 2)
            .Select(i => ImageData.FromPlanar(64, 64, 1, input.AsSpan(i * 64 * 64, 64 * 64).ToArray().Select(v => (v + 1f) / 2f).ToArray()))
            .ToList();
        var predictions = detector.PredictBatch(images);
        var expected = TensorData.ToArray(_outputs["scores"]);
        for (var i = 0; i < 2; i++)
        {
            output.WriteLine($"image {i}: score {predictions[i].Score:G6}, PyTorch {expected[i]:G6}");
            Assert.Equal(expected[i], predictions[i].Score, 2e-5);
        }

        var file = Path.Combine(_folder, "imported.adm");
        await detector.SaveAsync(file);
        var loaded = await SaganDetector.LoadAsync(file);
        Assert.Equal(predictions[0].Score, loaded.PredictBatch(images)[0].Score);
    }

    [Theory]
    [InlineData("exported-G.ckpt")]
    [InlineData("exported-G.safetensors")]
    public void Export_WritesTheAuthorsStateDict_AndReimportsExactly(string name)
    {
        using var checkpoint = AuthorsGeneratorCheckpoint.Read(CheckpointPath);
        var path = Path.Combine(_folder, name);
        AuthorsGeneratorCheckpoint.Write(checkpoint.Weights, path);

        // The same names and shapes as the authors' own file, running statistics included, so that their Generator
        // loads it strictly.
        var original = PyTorchStateDict.Read(CheckpointPath);
        var exported = PyTorchStateDict.Read(path);
        Assert.Equal(original.Keys.Order(StringComparer.Ordinal), exported.Keys.Order(StringComparer.Ordinal));
        Assert.All(original, p => Assert.Equal(p.Value.numel(), exported[p.Key].numel()));
        Assert.All(original.Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)),
            p => Assert.Equal(p.Value.shape, exported[p.Key].shape));

        using var again = AuthorsGeneratorCheckpoint.Read(path);
        using var generator = new SaganGenerator(1, ConvDim, RepeatNum, new RandomSource(0));
        StateDicts.LoadStrict(generator, again.Weights, "generator");
        using var noGrad = torch.no_grad();
        Compare(_outputs["restored"], generator.Restore(_outputs["input"]), "restored after export and re-import");
        foreach (var (key, weight) in checkpoint.Weights)
        {
            TensorAssert.BitEqual(weight, again.Weights[key]);
        }
    }

    [Fact]
    public void ExportAuthorsCheckpoint_FromADetector_MatchesTheGeneratorNames()
    {
        var detector = new SaganDetector(new SaganOptions { ConvDim = 2, RepeatNum = 2 });
        var path = Path.Combine(_folder, "detector-G.ckpt");
        detector.ExportAuthorsCheckpoint(path);

        using var checkpoint = AuthorsGeneratorCheckpoint.Read(path);
        Assert.Equal((2, 2), (checkpoint.ConvDim, checkpoint.RepeatNum));
        foreach (var (key, weight) in StateDicts.Export(detector.Generator))
        {
            TensorAssert.BitEqual(weight, checkpoint.Weights[key]);
        }
    }

    [Fact]
    public void Read_MismatchedCheckpoint_ListsMissingUnexpectedAndMisshapedTensors()
    {
        var state = PyTorchStateDict.Read(CheckpointPath);
        state.Remove("gate2.psi.0.bias");
        state.Add("gate2.extra.weight", torch.zeros(3));
        state["bn3.sc.0.weight"] = torch.zeros(4, 4, 1, 1);
        var path = Path.Combine(_folder, "broken-G.ckpt");
        PyTorchStateDict.Write(state, path);

        var error = Assert.Throws<StateDictMismatchException>(() => AuthorsGeneratorCheckpoint.Read(path));
        output.WriteLine(error.Message);
        Assert.Equal(new[] { "gate2.psi.0.bias" }, error.MissingKeys);
        Assert.Equal(new[] { "gate2.extra.weight" }, error.UnexpectedKeys);
        Assert.Single(error.ShapeMismatches);
        Assert.Contains("bn3.sc.0.weight (ours fuse.second.0.weight): expected [4, 4, 3, 3], got [4, 4, 1, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotACheckpoint_FailsWithOneLineNamingTheFile()
    {
        var path = Path.Combine(_folder, "notes-G.ckpt");
        File.WriteAllText(path, "not a checkpoint");

        var error = Assert.Throws<InvalidDataException>(() => AuthorsGeneratorCheckpoint.Read(path));
        output.WriteLine(error.Message);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CriticCheckpoint_SaysItIsTheCritic()
    {
        var path = Path.Combine(_folder, "100-D.ckpt");
        PyTorchStateDict.Write(new Dictionary<string, Tensor> { ["main.0.weight"] = torch.zeros(4, 1, 4, 4), ["main.0.bias"] = torch.zeros(4), ["conv1.weight"] = torch.zeros(1, 4, 3, 3) }, path);

        var error = Assert.Throws<InvalidDataException>(() => AuthorsGeneratorCheckpoint.Read(path));
        Assert.Contains("critic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthorsNames_PaperSize_MapOneToOneWithTheIssuesCounts()
    {
        // At the paper's 6 residual blocks the authors' state dict holds 115 weight tensors and 90 running-statistics
        // buffers (30 tracked norms). The width does not change names, so ConvDim 1 keeps this fast.
        using var generator = new SaganGenerator(1, 1, 6, new RandomSource(0));
        var ours = generator.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var authors = ours.Keys.Select(AuthorsParameterNames.ToAuthors).ToList();

        Assert.Equal(115, authors.Distinct().Count());
        Assert.Equal(30, AuthorsParameterNames.AffineNormPrefixes(ours).Count);
        Assert.Equal("layer1.0.weight", AuthorsParameterNames.ToAuthors("stem.0.weight"));
        Assert.Equal("p_bn1.0.bias", AuthorsParameterNames.ToAuthors("pos1.conv.bias"));
        Assert.Equal("bn2.0.weight", AuthorsParameterNames.ToAuthors("pos3.conv.weight"));
        Assert.Equal("bn2.8.main.4.bias", AuthorsParameterNames.ToAuthors("bottleneck.5.main.4.bias"));
        Assert.Equal("gate3.W_x.0.weight", AuthorsParameterNames.ToAuthors("att3.skip.0.weight"));
        Assert.Equal("up_conv1.4.weight", AuthorsParameterNames.ToAuthors("fuse1.1.1.weight"));
        Assert.Equal("bn3.sc.1.bias", AuthorsParameterNames.ToAuthors("fuse.second.1.bias"));
        Assert.Equal("conv.weight", AuthorsParameterNames.ToAuthors("head.weight"));
    }

    private void Compare(Tensor expected, Tensor actual, string what)
    {
        var error = (expected - actual).abs().max().item<float>();
        output.WriteLine($"{what}: largest error against PyTorch {error:G3}");
        TensorAssert.Close(expected, actual, absolute: 2e-5, relative: 0, what);
    }
}
