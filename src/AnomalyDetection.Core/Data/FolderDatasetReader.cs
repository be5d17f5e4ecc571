namespace AnomalyDetection.Data;

/// <summary>
/// Reads this project's dataset layout:
/// <code>
/// root/train/normal/*.png     normal training images (required, not empty)
/// root/test/normal/*.png      normal test images
/// root/test/abnormal/*.png    abnormal test images
/// root/test/masks/*.png       masks, each named like its abnormal image (optional)
/// root/extra/&lt;pool&gt;/*.png    optional pools kept apart from training, masks in &lt;pool&gt;_masks (or masks for abnormal)
/// </code>
/// Other folders (for example <c>lesion_masks</c>) and non-image files (<c>labels.csv</c>) are ignored.
/// <see cref="ReadTestSet"/> reads only the labelled images, from <c>test/</c> or from a folder holding
/// <c>normal/</c>, <c>abnormal/</c> and <c>masks/</c> directly, for evaluation without training images.
/// </summary>
/// <remarks>An extra pool's label comes from its name: a name containing the word <c>abnormal</c> is abnormal, one
/// containing <c>normal</c> is normal, anything else is <see cref="AnomalyLabel.Unknown"/> (words separated by
/// <c>_</c> or <c>-</c>).</remarks>
public static class FolderDatasetReader
{
    /// <summary>Reads the dataset at <paramref name="root"/>.</summary>
    /// <param name="root">The dataset folder.</param>
    /// <returns>Train, test and extra pools; test is empty when <c>test/</c> does not exist.</returns>
    /// <exception cref="InvalidDatasetException">A required folder is missing or empty, a mask has no image, a
    /// folder holds images that cannot be decoded, or an image is a symbolic link that loops.</exception>
    public static DatasetSplits Read(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        root = Path.GetFullPath(root);
        DatasetFolder.Require(root, "train/ and test/ folders");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(root));

        var trainFolder = Path.Combine(root, "train", "normal");
        DatasetFolder.Require(trainFolder, "the normal training images");
        var train = Pool(root, trainFolder, null, AnomalyLabel.Normal, "normal");
        if (train.Count == 0)
        {
            throw new InvalidDatasetException(trainFolder, "the folder holds no PNG, PGM or PPM images.");
        }

        return new DatasetSplits(
            new ImageDataset($"{name}/train", train),
            new ImageDataset($"{name}/test", ReadTest(root)),
            ReadExtra(root, name));
    }

    /// <summary>
    /// Reads only the labelled images to evaluate on, without needing <c>train/</c>: <c>root/test/</c> when it exists,
    /// otherwise <c>root</c> itself holding <c>normal/</c> and <c>abnormal/</c> (and optionally <c>masks/</c>, each
    /// named like its abnormal image) directly.
    /// </summary>
    /// <param name="root">A data set folder, or a folder of labelled images.</param>
    /// <returns>The labelled images, normal first, named relative to <paramref name="root"/>; the set is named
    /// <c>&lt;folder&gt;/test</c> or <c>&lt;folder&gt;</c>.</returns>
    /// <exception cref="InvalidDatasetException">The folder is missing, neither it nor its <c>test/</c> holds
    /// <c>normal/</c> or <c>abnormal/</c>, a mask has no image, or an image cannot be listed.</exception>
    public static IImageDataset ReadTestSet(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        root = Path.GetFullPath(root);
        DatasetFolder.Require(root, "test/normal/ and test/abnormal/, or normal/ and abnormal/");
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(root));
        var testFolder = Path.Combine(root, "test");
        return Directory.Exists(testFolder)
            ? new ImageDataset($"{name}/test", ReadLabelled(root, testFolder))
            : new ImageDataset(name, ReadLabelled(root, root));
    }

    private static List<LabeledImage> ReadTest(string root)
    {
        var testFolder = Path.Combine(root, "test");
        return Directory.Exists(testFolder) ? ReadLabelled(root, testFolder) : [];
    }

    /// <summary>The images of <paramref name="folder"/>'s normal/ and abnormal/ (with masks/), named relative to
    /// <paramref name="root"/>.</summary>
    private static List<LabeledImage> ReadLabelled(string root, string folder)
    {
        var normal = Path.Combine(folder, "normal");
        var abnormal = Path.Combine(folder, "abnormal");
        var masks = Path.Combine(folder, "masks");
        if (!Directory.Exists(normal) && !Directory.Exists(abnormal))
        {
            throw new InvalidDatasetException(folder, "the folder has neither normal/ nor abnormal/ inside.");
        }

        if (Directory.Exists(masks) && !Directory.Exists(abnormal))
        {
            throw new InvalidDatasetException(masks, $"there are masks but no {DatasetFolder.RelativeName(root, abnormal)}/ folder for their images.");
        }

        var items = new List<LabeledImage>();
        if (Directory.Exists(normal))
        {
            items.AddRange(Pool(root, normal, null, AnomalyLabel.Normal, "normal"));
        }

        if (Directory.Exists(abnormal))
        {
            items.AddRange(Pool(root, abnormal, masks, AnomalyLabel.Abnormal, "abnormal"));
        }

        return items;
    }

    private static Dictionary<string, IImageDataset> ReadExtra(string root, string name)
    {
        var pools = new Dictionary<string, IImageDataset>(StringComparer.Ordinal);
        var extraFolder = Path.Combine(root, "extra");
        if (!Directory.Exists(extraFolder))
        {
            return pools;
        }

        var folders = Directory.GetDirectories(extraFolder).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var folder in folders.Where(f => MaskOwner(f) is null).Order(StringComparer.Ordinal))
        {
            var maskFolder = folders.FirstOrDefault(f => MaskOwner(f) == folder);
            var poolPath = Path.Combine(extraFolder, folder);
            var items = Pool(root, poolPath, maskFolder is null ? null : Path.Combine(extraFolder, maskFolder), LabelFromName(folder), folder);
            pools[folder] = new ImageDataset($"{name}/extra/{folder}", items);
        }

        foreach (var maskFolder in folders.Where(f => MaskOwner(f) is { } owner && !folders.Contains(owner)))
        {
            throw new InvalidDatasetException(Path.Combine(extraFolder, maskFolder), $"the mask folder has no image folder extra/{MaskOwner(maskFolder)}/.");
        }

        return pools;
    }

    /// <summary>The image folder a mask folder belongs to (<c>x_masks</c> → <c>x</c>, <c>masks</c> → <c>abnormal</c>), or null.</summary>
    private static string? MaskOwner(string folder) =>
        folder == "masks" ? "abnormal" : folder.EndsWith("_masks", StringComparison.Ordinal) ? folder[..^"_masks".Length] : null;

    private static AnomalyLabel LabelFromName(string folder)
    {
        var words = folder.ToLowerInvariant().Split('_', '-');
        return words.Contains("abnormal") ? AnomalyLabel.Abnormal
            : words.Contains("normal") ? AnomalyLabel.Normal
            : AnomalyLabel.Unknown;
    }

    /// <summary>The images of one folder, each with the same-named mask from <paramref name="maskFolder"/> if present.</summary>
    private static List<LabeledImage> Pool(string root, string imageFolder, string? maskFolder, AnomalyLabel label, string category)
    {
        var images = DatasetFolder.ImageFiles(imageFolder);
        var masks = maskFolder is not null && Directory.Exists(maskFolder)
            ? DatasetFolder.ImageFiles(maskFolder).ToDictionary(f => Path.GetFileName(f), StringComparer.Ordinal)
            : [];
        var items = new List<LabeledImage>(images.Count);
        foreach (var image in images)
        {
            var mask = masks.Remove(Path.GetFileName(image), out var maskPath) ? ImageSource.FromFile(maskPath) : null;
            items.Add(new LabeledImage(DatasetFolder.RelativeName(root, image), label, ImageSource.FromFile(image), mask, category));
        }

        if (maskFolder is not null)
        {
            DatasetFolder.RequireImagesForMasks(maskFolder, masks.Values, $"an image of the same name in {DatasetFolder.RelativeName(root, imageFolder)}/");
        }

        return items;
    }
}
