using AnomalyDetection.Detection;
using AnomalyDetection.Imaging;
using Xunit.Abstractions;

namespace AnomalyDetection.Reliability.Tests.Load;

/// <summary>Streaming batch scoring of a folder of thousands of files: bounded memory, progress, cancellation, and
/// unreadable files reported without stopping the scan.</summary>
[Collection(ManagedMemoryCollection.Name)]
public class FolderScoringTests(ScanFolder folder, ITestOutputHelper output) : IClassFixture<ScanFolder>
{
    // Holding every decoded 96 × 96 image would take 2000 × 36 KiB ≈ 70 MiB; a streaming scan needs one batch.
    private const long MemoryGrowthBound = 24L << 20;

    [Fact]
    public async Task ScoreFolderAsync_ThousandsOfFiles_StreamsWithBoundedMemoryAndReportsProgress()
    {
        var progress = new List<int>();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        int scored = 0, skipped = 0;
        var order = new List<string>();
        await foreach (var file in FolderScoring.ScoreFolderAsync(Tiny.FittedDetector, folder.Path, batchSize: 32, progress: new Recorder(progress)))
        {
            order.Add(file.Path);
            if (file.Succeeded)
            {
                Assert.True(float.IsFinite(file.Prediction!.Score));
                scored++;
            }
            else
            {
                Assert.Contains(Path.GetFileName(file.Path), file.Error);
                skipped++;
            }

            if ((scored + skipped) % 250 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        output.WriteLine($"{scored} scored, {skipped} skipped; managed memory grew at most {peak / 1024} KiB above the baseline");
        Assert.Equal((ScanFolder.Images, ScanFolder.Corrupt), (scored, skipped));
        Assert.True(peak < MemoryGrowthBound, $"memory grew by {peak / 1024} KiB");
        var total = ScanFolder.Images + ScanFolder.Corrupt;
        Assert.Equal(total, progress[^1]);
        Assert.Equal((total + 31) / 32, progress.Count);
        Assert.All(progress.SkipLast(1), (count, i) => Assert.Equal(32 * (i + 1), count));
        var listed = Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".txt", StringComparison.Ordinal));
        Assert.Equal(listed, order);
    }

    [Fact]
    public async Task ScoreFolderAsync_CancelledMidway_StopsWithOperationCanceled()
    {
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var file in FolderScoring.ScoreFolderAsync(Tiny.FittedDetector, folder.Path, batchSize: 16, cancellationToken: cancel.Token))
            {
                if (++seen == 100)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.InRange(seen, 100, 115);
    }

    [Fact]
    public async Task ScoreFolderAsync_ScoresEqualSinglePredictions()
    {
        var checkedFiles = 0;
        await foreach (var file in FolderScoring.ScoreFolderAsync(Tiny.FittedDetector, Path.Combine(folder.Path, "ward_a"), batchSize: 8, recursive: false))
        {
            var single = Tiny.FittedDetector.Predict(await ImageIO.LoadAsync(file.Path));
            Assert.Equal(single.Score, file.Prediction!.Score, 1e-5f);
            if (++checkedFiles == 40)
            {
                break;
            }
        }

        Assert.Equal(40, checkedFiles);
    }

    [Fact]
    public void ScoreFolderAsync_BadArguments_ThrowAtTheCall()
    {
        Assert.Throws<DirectoryNotFoundException>(() => FolderScoring.ScoreFolderAsync(Tiny.FittedDetector, Path.Combine(folder.Path, "missing")));
        Assert.Throws<ArgumentOutOfRangeException>(() => FolderScoring.ScoreFolderAsync(Tiny.FittedDetector, folder.Path, batchSize: 0));
        var unfitted = new AnomalyDetection.PatchGan.PatchGanDetector(Tiny.PatchGan(seed: 1));
        Assert.Throws<InvalidOperationException>(() => FolderScoring.ScoreFolderAsync(unfitted, folder.Path));
    }

    private sealed class Recorder(List<int> counts) : IProgress<int>
    {
        public void Report(int value) => counts.Add(value);
    }
}
