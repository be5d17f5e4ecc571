using AnomalyDetection.Data;

namespace AnomalyDetection.Core.Tests.Data;

/// <summary><see cref="FolderDatasetReader.ReadTestSet"/>: the labelled images alone, from <c>test/</c> or from a
/// folder holding <c>normal/</c>, <c>abnormal/</c> and <c>masks/</c> directly, with no <c>train/</c> needed.</summary>
public sealed class TestSetReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ReadTestSet_FolderOfNormalAbnormalAndMasks_ReadsThemWithoutTrain()
    {
        _folder.Png("normal/n1.png");
        _folder.Png("abnormal/x.png");
        _folder.Png("abnormal/y.png");
        _folder.Png("masks/x.png", 1f);

        var test = FolderDatasetReader.ReadTestSet(_folder.Root);

        Assert.Equal(Path.GetFileName(_folder.Root), test.Name);
        Assert.Equal(["normal/n1.png", "abnormal/x.png", "abnormal/y.png"], test.Select(i => i.Name));
        Assert.Equal([AnomalyLabel.Normal, AnomalyLabel.Abnormal, AnomalyLabel.Abnormal], test.Select(i => i.Label));
        Assert.EndsWith(Path.Combine("masks", "x.png"), test[1].Mask!.FilePath);
        Assert.Null(test[2].Mask);
    }

    [Fact]
    public void ReadTestSet_DataSetWithoutTrain_ReadsItsTestFolder()
    {
        _folder.Png("test/normal/n1.png");
        _folder.Png("test/abnormal/x.png");
        _folder.Png("normal/ignored.png");

        var test = FolderDatasetReader.ReadTestSet(_folder.Root);

        Assert.Equal($"{Path.GetFileName(_folder.Root)}/test", test.Name);
        Assert.Equal(["test/normal/n1.png", "test/abnormal/x.png"], test.Select(i => i.Name));
    }

    [Fact]
    public void ReadTestSet_MasksWithoutAbnormalFolder_ThrowsNamingTheLayout()
    {
        _folder.Png("normal/n1.png");
        _folder.Png("masks/x.png", 1f);

        var error = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.ReadTestSet(_folder.Root));

        Assert.Contains("there are masks but no abnormal/ folder for their images.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadTestSet_NeitherLayout_ThrowsNamingTheFolder()
    {
        _folder.Png("train/normal/a.png");

        var error = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.ReadTestSet(_folder.Root));

        Assert.Contains($"'{_folder.Root}': the folder has neither normal/ nor abnormal/ inside.", error.Message, StringComparison.Ordinal);
    }
}
