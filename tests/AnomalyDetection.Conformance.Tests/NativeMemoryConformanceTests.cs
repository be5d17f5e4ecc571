using TorchSharp;
using Xunit.Abstractions;

namespace AnomalyDetection.Conformance.Tests;

/// <summary>
/// Scoring frees every native tensor it makes: 500 predictions leave this thread's count of live LibTorch tensors where
/// it was. Without the dispose scope around each batch, each prediction would leave its input, activations and map
/// for the garbage collector's finalizer, and native memory would grow with the number of predictions.
/// </summary>
public class NativeMemoryConformanceTests(ITestOutputHelper output)
{
    private const int Predictions = 500;

    [Theory]
    [MemberData(nameof(ConformanceCases.Names), MemberType = typeof(ConformanceCases))]
    public void Predict_FiveHundredTimes_LeavesNoLiveTensorBehind(string name)
    {
        var c = ConformanceCases.Get(name);
        var detector = ConformanceCases.FittedDetector(name);
        var images = SyntheticImages.TestSet(c.ImageSize, c.Channels, 4).Select(i => i.LoadImage()).ToList();
        detector.Predict(images[0]);

        // Tensors are counted per thread, so tests running in parallel on other threads do not disturb the count.
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var created = DisposeScopeManager.Statistics.CreatedInScopeCount;
        for (var i = 0; i < Predictions; i++)
        {
            detector.Predict(images[i % images.Count]);
        }

        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var made = DisposeScopeManager.Statistics.CreatedInScopeCount - created;
        output.WriteLine($"{name}: {made} tensors made in {Predictions} predictions; live on this thread before {before}, after {after}");
        Assert.True(made >= Predictions, $"{name}: the predictions made only {made} tensors inside dispose scopes");
        Assert.Equal(before, after);
    }
}
