using AnomalyDetection.PatchGan;
using AnomalyDetection.Serialization;

namespace AnomalyDetection.Reliability.Tests.Faults;

/// <summary>A save that fails part-way (a full disk, a lost network share, a crash) leaves the previous model file
/// byte-identical and loadable, and no temporary file behind once the failure has been handled.</summary>
public class AtomicSaveTests
{
    private static readonly Lazy<byte[]> Model = new(() =>
    {
        using var stream = new MemoryStream();
        Tiny.FittedDetector.SaveAsync(stream).GetAwaiter().GetResult();
        return stream.ToArray();
    });

    /// <summary>Bytes of the new model written before the failure: none, one, half, all but one, and all of them
    /// (the failure then hits between the last write and the rename).</summary>
    public static TheoryData<double> InterruptionPoints => [0, 1e-9, 0.5, 0.999999, 1];

    [Theory]
    [MemberData(nameof(InterruptionPoints))]
    public async Task WriteAsync_FailingPartWay_LeavesThePreviousModelIntact(double fraction)
    {
        await WithModelFile(async (folder, path) =>
        {
            var before = await File.ReadAllBytesAsync(path);
            var replacement = Model.Value.Reverse().ToArray();
            var written = (int)Math.Ceiling(fraction * replacement.Length);

            var error = await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(path, async stream =>
            {
                await stream.WriteAsync(replacement.AsMemory(0, written));
                throw new IOException("Simulated: no space left on device.");
            }, CancellationToken.None));

            Assert.Contains("no space", error.Message);
            await AssertIntactAsync(folder, path, before);
        });
    }

    [Theory]
    [MemberData(nameof(InterruptionPoints))]
    public async Task Write_FailingPartWay_LeavesThePreviousModelIntact(double fraction)
    {
        await WithModelFile(async (folder, path) =>
        {
            var before = await File.ReadAllBytesAsync(path);
            var written = (int)Math.Ceiling(fraction * before.Length);

            Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[written]);
                throw new IOException("Simulated: the share went away.");
            }));

            await AssertIntactAsync(folder, path, before);
        });
    }

    [Fact]
    public async Task SaveAsync_AfterAKilledSaveLeftATemporaryFile_ReplacesTheModelAndIgnoresTheLeftover()
    {
        await WithModelFile(async (folder, path) =>
        {
            // A process killed mid-save cannot clean up: its half-written temporary file stays next to the model.
            var leftover = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
            await File.WriteAllBytesAsync(leftover, Model.Value.AsMemory(0, Model.Value.Length / 3).ToArray());
            var loaded = await PatchGanDetector.LoadAsync(path);

            await loaded.SaveAsync(path);

            Assert.True(File.Exists(leftover));
            var reloaded = await PatchGanDetector.LoadAsync(path);
            Assert.Equal(loaded.Calibration, reloaded.Calibration);
            Assert.Equal(2, Directory.GetFiles(folder).Length);
        });
    }

    private static async Task AssertIntactAsync(string folder, string path, byte[] before)
    {
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(folder));
        var loaded = await PatchGanDetector.LoadAsync(path);
        Assert.True(loaded.IsFitted);
    }

    private static async Task WithModelFile(Func<string, string, Task> test)
    {
        var folder = Directory.CreateTempSubdirectory("reliability-save");
        try
        {
            var path = Path.Combine(folder.FullName, "model.adm");
            await Tiny.FittedDetector.SaveAsync(path);
            await test(folder.FullName, path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
