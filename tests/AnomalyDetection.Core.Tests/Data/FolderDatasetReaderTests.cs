using AnomalyDetection.Data;

namespace AnomalyDetection.Core.Tests.Data;

public sealed class FolderDatasetReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_ProjectLayout_LabelsPairsAndOrdersEverything()
    {
        _folder.Png("train/normal/b.png");
        _folder.Png("train/normal/a.png");
        _folder.Png("train/normal/c.pgm");
        _folder.File("train/normal/.DS_Store");
        _folder.Png("train/lesion_masks/a.png");
        _folder.Png("test/normal/n1.png");
        _folder.Png("test/abnormal/x.png");
        _folder.Png("test/abnormal/y.png");
        _folder.Png("test/masks/x.png", 1f);
        _folder.File("labels.csv", "file,label\n");

        var splits = FolderDatasetReader.Read(_folder.Root);

        var rootName = Path.GetFileName(_folder.Root);
        Assert.Equal($"{rootName}/train", splits.Train.Name);
        Assert.Equal(["train/normal/a.png", "train/normal/b.png", "train/normal/c.pgm"], splits.Train.Select(i => i.Name));
        Assert.All(splits.Train, i => Assert.Equal(AnomalyLabel.Normal, i.Label));
        Assert.Equal(["test/normal/n1.png", "test/abnormal/x.png", "test/abnormal/y.png"], splits.Test.Select(i => i.Name));
        Assert.Equal([AnomalyLabel.Normal, AnomalyLabel.Abnormal, AnomalyLabel.Abnormal], splits.Test.Select(i => i.Label));
        Assert.Equal(["normal", "abnormal", "abnormal"], splits.Test.Select(i => i.Category));
        Assert.EndsWith(Path.Combine("test", "masks", "x.png"), splits.Test[1].Mask!.FilePath);
        Assert.Null(splits.Test[0].Mask);
        Assert.Null(splits.Test[2].Mask);
        Assert.Empty(splits.Extra);
    }

    [Fact]
    public void Read_ExtraPools_PairMaskFoldersAndLabelByName()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("extra/abnormal/p.png");
        _folder.Png("extra/masks/p.png");
        _folder.Png("extra/abnormal_annotated/q.png");
        _folder.Png("extra/abnormal_annotated_masks/q.png");
        _folder.Png("extra/abnormal_unannotated/r.png");
        _folder.Png("extra/train_abnormal/s.png");
        _folder.Png("extra/unlabeled-pool/t.png");
        _folder.Png("extra/normal/u.png");

        var extra = FolderDatasetReader.Read(_folder.Root).Extra;

        Assert.Equal(["abnormal", "abnormal_annotated", "abnormal_unannotated", "normal", "train_abnormal", "unlabeled-pool"], extra.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(extra["abnormal"][0].Mask);
        Assert.NotNull(extra["abnormal_annotated"][0].Mask);
        Assert.Null(extra["abnormal_unannotated"][0].Mask);
        Assert.Equal(AnomalyLabel.Abnormal, extra["train_abnormal"][0].Label);
        Assert.Equal(AnomalyLabel.Normal, extra["normal"][0].Label);
        Assert.Equal(AnomalyLabel.Unknown, extra["unlabeled-pool"][0].Label);
        Assert.Equal("extra/abnormal_annotated/q.png", extra["abnormal_annotated"][0].Name);
    }

    [Fact]
    public void Read_NoTestFolder_GivesEmptyTestSet()
    {
        _folder.Png("train/normal/a.png");

        Assert.Empty(FolderDatasetReader.Read(_folder.Root).Test);
    }

    [Fact]
    public void Read_MissingRoot_Throws()
    {
        var missing = Path.Combine(_folder.Root, "nope");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(missing));

        Assert.Equal(missing, ex.DatasetPath);
    }

    [Fact]
    public void Read_MissingTrainFolder_SaysWhatItShouldHold()
    {
        _folder.Png("test/normal/a.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("normal training images", ex.Message);
        Assert.EndsWith(Path.Combine("train", "normal"), ex.DatasetPath);
    }

    [Fact]
    public void Read_EmptyTrainFolder_Throws()
    {
        _folder.Folder("train/normal");
        _folder.File("train/normal/readme.txt");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("no PNG", ex.Message);
    }

    [Fact]
    public void Read_MaskWithoutImage_NamesTheMask()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("test/abnormal/x.png");
        _folder.Png("test/masks/x.png");
        _folder.Png("test/masks/orphan.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("orphan.png", ex.Message);
        Assert.Contains("test/abnormal/", ex.Message);
    }

    [Fact]
    public void Read_MasksWithoutAbnormalFolder_Throws()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("test/normal/n.png");
        _folder.Png("test/masks/x.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("no test/abnormal/", ex.Message);
    }

    [Fact]
    public void Read_TestFolderWithoutSplits_Throws()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("test/good/x.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("neither normal/ nor abnormal/", ex.Message);
    }

    [Fact]
    public void Read_ExtraMaskFolderWithoutPool_Throws()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("extra/annotated_masks/q.png");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("extra/annotated/", ex.Message);
    }

    [Fact]
    public void Read_TiffImages_AskForConversion()
    {
        _folder.Png("train/normal/a.png");
        _folder.File("train/normal/b.tif");

        var ex = Assert.Throws<InvalidDatasetException>(() => FolderDatasetReader.Read(_folder.Root));

        Assert.Contains("'.tif' images cannot be decoded", ex.Message);
    }

    [Fact]
    public async Task LoadMask_ColourMaskWithAlpha_BecomesOneChannelBinary()
    {
        _folder.Png("train/normal/a.png");
        _folder.Png("test/abnormal/x.png");
        var mask = _folder.Png("test/masks/x.png", 0.6f, channels: 4);

        var item = FolderDatasetReader.Read(_folder.Root).Test[0];
        var loaded = await item.LoadMaskAsync();

        Assert.Equal(mask, item.Mask!.FilePath);
        Assert.Equal(1, loaded!.Channels);
        Assert.All(loaded.Pixels.ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(128 / 255f, (await item.LoadImageAsync())[0, 0, 0]);
    }

    [Fact]
    public void SmokeTest_PneumoniaMnist_ReadsWhenPresent()
    {
        // Optional: exercises the real dataset when this machine has it; a fresh clone does not, and xunit 2.9 has no
        // dynamic skip, so the test simply returns.
        const string root = "/work/shared/datasets/pneumoniamnist";
        if (!Directory.Exists(root))
        {
            return;
        }

        var splits = FolderDatasetReader.Read(root);

        Assert.Equal(1213, splits.Train.Count);
        Assert.Equal(135, splits.Test.Count(i => i.Label == AnomalyLabel.Normal));
        Assert.Equal(135, splits.Test.Count(i => i.Label == AnomalyLabel.Abnormal));
        Assert.Equal(1207, splits.Extra["train_abnormal"].Count);
        var image = splits.Test[^1].LoadImage();
        Assert.Equal((28, 28, 1, 8), (image.Width, image.Height, image.Channels, image.SourceBitDepth));
    }
}
