using AnomalyDetection.Data;

namespace AnomalyDetection.Core.Tests.Data;

public sealed class MvtecDatasetReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_Category_LabelsByFolderAndPairsMasks()
    {
        _folder.Png("bottle/train/good/000.png");
        _folder.Png("bottle/train/good/001.png");
        _folder.Png("bottle/test/good/000.png");
        _folder.Png("bottle/test/crack/000.png");
        _folder.Png("bottle/test/crack/001.png");
        _folder.Png("bottle/test/scratch/000.png");
        _folder.Png("bottle/ground_truth/crack/000_mask.png", 1f);
        _folder.Png("bottle/ground_truth/crack/001_mask.png", 1f);
        _folder.Png("bottle/ground_truth/scratch/000_mask.png", 1f);

        var splits = MvtecDatasetReader.Read(Path.Combine(_folder.Root, "bottle"));

        Assert.Equal("bottle/train", splits.Train.Name);
        Assert.Equal(2, splits.Train.Count);
        Assert.Equal(["test/crack/000.png", "test/crack/001.png", "test/good/000.png", "test/scratch/000.png"], splits.Test.Select(i => i.Name));
        Assert.Equal(["crack", "crack", "good", "scratch"], splits.Test.Select(i => i.Category));
        Assert.Equal([AnomalyLabel.Abnormal, AnomalyLabel.Abnormal, AnomalyLabel.Normal, AnomalyLabel.Abnormal], splits.Test.Select(i => i.Label));
        Assert.EndsWith(Path.Combine("ground_truth", "crack", "001_mask.png"), splits.Test[1].Mask!.FilePath);
        Assert.Null(splits.Test[2].Mask);
        Assert.Empty(splits.Extra);
    }

    [Fact]
    public void Read_MaskWithoutImage_Throws()
    {
        _folder.Png("c/train/good/000.png");
        _folder.Png("c/test/crack/000.png");
        _folder.Png("c/ground_truth/crack/000_mask.png");
        _folder.Png("c/ground_truth/crack/007_mask.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => MvtecDatasetReader.Read(Path.Combine(_folder.Root, "c")));

        Assert.Contains("007_mask.png", ex.Message);
    }

    [Fact]
    public void Read_GroundTruthForMissingDefect_Throws()
    {
        _folder.Png("c/train/good/000.png");
        _folder.Png("c/test/good/000.png");
        _folder.Png("c/ground_truth/hole/000_mask.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => MvtecDatasetReader.Read(Path.Combine(_folder.Root, "c")));

        Assert.Contains("no test/hole/", ex.Message);
    }

    [Fact]
    public void Read_MissingTrainGood_Throws()
    {
        _folder.Png("c/test/good/000.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => MvtecDatasetReader.Read(Path.Combine(_folder.Root, "c")));

        Assert.EndsWith(Path.Combine("train", "good"), ex.DatasetPath);
    }

    [Fact]
    public void Read_MissingTestFolder_Throws()
    {
        _folder.Png("c/train/good/000.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => MvtecDatasetReader.Read(Path.Combine(_folder.Root, "c")));

        Assert.Contains("defect type", ex.Message);
    }
}
