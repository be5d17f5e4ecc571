namespace AnomalyDetection.Cli.Tests;

/// <summary>Options files for detectors small enough to train in a second or two.</summary>
internal static class TinyOptions
{
    public const string Sagan = """
        { "convDim": 4, "repeatNum": 1, "criticRepeatNum": 3, "imageSize": 32, "maxSteps": 3, "validationInterval": 3, "batchSize": 4, "validationFraction": 0.34, "seed": 5 }
        """;

    public const string PatchGan = """
        { "imageSize": 16, "patchSize": 8, "reconstructorBaseWidth": 4, "reconstructorDepth": 2, "discriminatorBaseWidth": 4,
          "discriminatorLayers": 1, "rankingHeadWidth": 4, "maxSteps": 3, "batchSize": 4, "validationFraction": 0.34, "seed": 5 }
        """;

    public const string Autoencoder = """
        { "imageSize": 16, "baseWidth": 4, "depth": 2, "latentChannels": 2, "maxSteps": 3, "batchSize": 4, "validationFraction": 0.34, "seed": 5 }
        """;

    public static string Write(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }
}
