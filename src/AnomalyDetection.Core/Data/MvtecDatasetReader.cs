namespace AnomalyDetection.Data;

/// <summary>
/// Reads one category of the MVTec AD layout:
/// <code>
/// category/train/good/*.png                          normal training images
/// category/test/good/*.png                           normal test images
/// category/test/&lt;defect&gt;/*.png                       abnormal test images of one defect type
/// category/ground_truth/&lt;defect&gt;/&lt;name&gt;_mask.png     the mask of test/&lt;defect&gt;/&lt;name&gt;.png
/// </code>
/// Items carry the defect type (or <c>good</c>) as their <see cref="LabeledImage.Category"/>.
/// </summary>
public static class MvtecDatasetReader
{
    private const string Good = "good";
    private const string MaskSuffix = "_mask";

    /// <summary>Reads the category at <paramref name="categoryRoot"/>.</summary>
    /// <param name="categoryRoot">The category folder, for example <c>mvtec_ad/bottle</c>.</param>
    /// <returns>Train and test sets; no extra pools.</returns>
    /// <exception cref="InvalidDatasetException">A required folder is missing or empty, or a mask has no image.</exception>
    public static DatasetSplits Read(string categoryRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(categoryRoot);
        var root = Path.GetFullPath(categoryRoot);
        DatasetFolder.Require(root, "an MVTec AD category (train/good, test/<defect>, ground_truth/<defect>)");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(root));

        var trainFolder = Path.Combine(root, "train", Good);
        DatasetFolder.Require(trainFolder, "the defect-free training images");
        var train = DatasetFolder.ImageFiles(trainFolder)
            .Select(f => new LabeledImage(DatasetFolder.RelativeName(root, f), AnomalyLabel.Normal, ImageSource.FromFile(f), null, Good))
            .ToList();
        if (train.Count == 0)
        {
            throw new InvalidDatasetException(trainFolder, "the folder holds no PNG, PGM or PPM images.");
        }

        var testFolder = Path.Combine(root, "test");
        DatasetFolder.Require(testFolder, "one folder per defect type plus good/");
        var groundTruth = Path.Combine(root, "ground_truth");
        var defects = Directory.GetDirectories(testFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var test = new List<LabeledImage>();
        foreach (var defect in defects)
        {
            test.AddRange(ReadDefect(root, defect, Path.Combine(groundTruth, defect)));
        }

        if (Directory.Exists(groundTruth))
        {
            foreach (var maskFolder in Directory.GetDirectories(groundTruth).Where(d => !defects.Contains(Path.GetFileName(d)!)))
            {
                throw new InvalidDatasetException(maskFolder, $"there is no test/{Path.GetFileName(maskFolder)}/ folder for these masks.");
            }
        }

        return new DatasetSplits(new ImageDataset($"{name}/train", train), new ImageDataset($"{name}/test", test), new Dictionary<string, IImageDataset>());
    }

    private static List<LabeledImage> ReadDefect(string root, string defect, string maskFolder)
    {
        var label = defect == Good ? AnomalyLabel.Normal : AnomalyLabel.Abnormal;
        var masks = Directory.Exists(maskFolder)
            ? DatasetFolder.ImageFiles(maskFolder).ToDictionary(MaskedName, StringComparer.Ordinal)
            : [];
        var items = new List<LabeledImage>();
        foreach (var image in DatasetFolder.ImageFiles(Path.Combine(root, "test", defect)))
        {
            var mask = masks.Remove(Path.GetFileNameWithoutExtension(image), out var maskPath) ? ImageSource.FromFile(maskPath) : null;
            items.Add(new LabeledImage(DatasetFolder.RelativeName(root, image), label, ImageSource.FromFile(image), mask, defect));
        }

        DatasetFolder.RequireImagesForMasks(maskFolder, masks.Values, $"an image test/{defect}/<name>.png for <name>{MaskSuffix}.png");
        return items;
    }

    /// <summary>The image stem a mask file belongs to: <c>000_mask.png</c> → <c>000</c>; other names map to themselves,
    /// so a stray file is reported as a mask without an image.</summary>
    private static string MaskedName(string maskPath)
    {
        var stem = Path.GetFileNameWithoutExtension(maskPath);
        return stem.EndsWith(MaskSuffix, StringComparison.Ordinal) ? stem[..^MaskSuffix.Length] : stem;
    }
}
