using AnomalyDetection.Data;

namespace AnomalyDetection.Core.Tests.Data;

/// <summary>A symbolic link that loops among a data set's images is refused while the folder is read, naming the
/// link, instead of failing with an <see cref="IOException"/> when training first reads the image.</summary>
public sealed class SymbolicLinkLoopTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("train/normal")]
    [InlineData("test/abnormal")]
    [InlineData("extra/train_abnormal")]
    public void Read_LinkLoopAmongImages_ThrowsInvalidDatasetNamingTheLink(string folder)
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("test/normal/n.png");
        _folder.Png("test/abnormal/x.png");
        _folder.Png("extra/train_abnormal/p.png");
        var first = Path.Combine(_folder.Folder(folder), "loop_a.png");
        var second = Path.Combine(_folder.Folder(folder), "loop_b.png");
        File.CreateSymbolicLink(first, second);
        File.CreateSymbolicLink(second, first);

        var error = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        // Either link of the pair may be listed first.
        Assert.True(
            error.Message.Contains($"'{first}': it is a symbolic link that loops", StringComparison.Ordinal)
                || error.Message.Contains($"'{second}': it is a symbolic link that loops", StringComparison.Ordinal),
            error.Message);
    }

    [Fact]
    public void Read_LinkToAnImage_IsReadLikeTheImage()
    {
        var image = _folder.Png("elsewhere/a.png");
        File.CreateSymbolicLink(Path.Combine(_folder.Folder("train/normal"), "linked.png"), image);

        var splits = FolderDatasetReader.Read(_folder.Root);

        Assert.Equal(["train/normal/linked.png"], splits.Train.Select(i => i.Name));
        Assert.Equal(2, splits.Train[0].LoadImage().Width);
    }
}
