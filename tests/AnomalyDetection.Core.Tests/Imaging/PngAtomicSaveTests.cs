using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Imaging;

/// <summary><see cref="ImageIO.SavePng"/> and <see cref="ImageIO.SavePngAsync"/> replace a file by renaming a complete
/// new one over it, never by rewriting it in place, so a failure part-way leaves the previous picture whole.</summary>
public sealed class PngAtomicSaveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("png-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Save_OverAnExistingPng_ReplacesTheFileRatherThanRewritingIt(bool asynchronous)
    {
        var path = Path.Combine(_folder, "picture.png");
        ImageIO.SavePng(Uniform(0.25f), path);
        var previous = File.ReadAllBytes(path);

        // A handle opened before the save keeps reading the old file only if the save renamed a new file over it;
        // an in-place rewrite (truncate, then write) would show the new bytes through it.
        using var before = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (asynchronous)
        {
            await ImageIO.SavePngAsync(Uniform(0.75f), path);
        }
        else
        {
            ImageIO.SavePng(Uniform(0.75f), path);
        }

        var seenThroughOldHandle = new byte[previous.Length + 16];
        var read = before.ReadAtLeast(seenThroughOldHandle, seenThroughOldHandle.Length, throwOnEndOfStream: false);
        Assert.Equal(previous, seenThroughOldHandle[..read]);
        Assert.Equal(0.75f, ImageIO.Load(path).Pixels[0], 0.01f);
        Assert.Equal(["picture.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task SaveAsync_Cancelled_LeavesThePreviousPngAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "picture.png");
        ImageIO.SavePng(Uniform(0.25f), path);
        var previous = File.ReadAllBytes(path);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageIO.SavePngAsync(Uniform(0.75f), path, cancellationToken: cancellation.Token));

        Assert.Equal(previous, File.ReadAllBytes(path));
        Assert.Equal(["picture.png"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    private static ImageData Uniform(float value) => ImageData.FromPlanar(4, 4, 1, [.. Enumerable.Repeat(value, 16)]);
}
