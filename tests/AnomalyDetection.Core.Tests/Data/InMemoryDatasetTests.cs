using AnomalyDetection.Data;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Core.Tests.Data;

public class InMemoryDatasetTests
{
    private static ImageDataset Numbered(int count) =>
        ImageDataset.FromImages("digits", Enumerable.Range(0, count).Select(i => ImageData.FromPlanar(1, 1, 1, [i])), AnomalyLabel.Normal);

    [Fact]
    public void FromImages_NamesItemsByIndex_AndReturnsTheSameImages()
    {
        var image = ImageData.FromPlanar(1, 1, 1, [0.5f]);

        var dataset = ImageDataset.FromImages("mem", [image, image], AnomalyLabel.Abnormal);

        Assert.Equal(["0", "1"], dataset.Select(i => i.Name));
        Assert.All(dataset, i => Assert.Equal(AnomalyLabel.Abnormal, i.Label));
        Assert.Same(image, dataset[1].LoadImage());
        Assert.Null(dataset[0].LoadMask());
    }

    [Fact]
    public void Carve_SameSeed_GivesSameDisjointSplitInOriginalOrder()
    {
        var source = Numbered(10);

        var split = ValidationSplit.Carve(source, 0.2, seed: 7);
        var again = ValidationSplit.Carve(source, 0.2, seed: 7);

        Assert.Equal(8, split.Train.Count);
        Assert.Equal(2, split.Validation.Count);
        Assert.Equal("digits/validation", split.Validation.Name);
        Assert.Equal(again.Validation.Select(i => i.Name), split.Validation.Select(i => i.Name));
        var all = split.Train.Concat(split.Validation).Select(i => int.Parse(i.Name)).Order();
        Assert.Equal(Enumerable.Range(0, 10), all);
        Assert.True(split.Train.Select(i => int.Parse(i.Name)).SequenceEqual(split.Train.Select(i => int.Parse(i.Name)).Order()));
    }

    [Fact]
    public void Carve_DifferentSeeds_GiveDifferentSplits()
    {
        var source = Numbered(40);

        var names = Enumerable.Range(0, 5).Select(seed => string.Join(",", ValidationSplit.Carve(source, 0.25, seed).Validation.Select(i => i.Name)));

        Assert.Equal(5, names.Distinct().Count());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.01)]
    [InlineData(0.99)]
    [InlineData(double.NaN)]
    public void Carve_FractionLeavingAPartEmpty_Throws(double fraction)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ValidationSplit.Carve(Numbered(10), fraction, 1));
    }

    [Fact]
    public void Constructors_InvalidArguments_Throw()
    {
        var source = ImageSource.FromImage(ImageData.FromPlanar(1, 1, 1, [0]));

        Assert.Throws<ArgumentException>(() => new LabeledImage("", AnomalyLabel.Normal, source));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabeledImage("a", (AnomalyLabel)9, source));
        Assert.Throws<ArgumentException>(() => new ImageDataset("d", [new LabeledImage("a", AnomalyLabel.Normal, source), null!]));
        Assert.Throws<ArgumentException>(() => ImageSource.FromFile(""));
    }
}
