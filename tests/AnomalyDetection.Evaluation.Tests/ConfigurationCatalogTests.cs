using AnomalyDetection.Sagan;

namespace AnomalyDetection.Evaluation.Tests;

public sealed class ConfigurationCatalogTests
{
    private const string Json = """
        {
          // comments are allowed
          "tiny": { "detector": "sagan", "options": { "ConvDim": 4, "SelectBestCheckpoint": true }, "pool": { "abnormalRatio": 0.5 } },
          "typo": { "detector": "sagan", "options": { "ConvDims": 4 } },
          "bad-value": { "detector": "patchgan", "options": { "Ranking": "Sideways" } },
          "odd-kind": { "detector": "vae" },
          "odd-preprocessing": { "detector": "patchgan", "preprocessing": "sepia" }
        }
        """;

    [Fact]
    public void Get_KnownName_CarriesSettingsAndPool()
    {
        var configuration = ConfigurationCatalog.Parse(Json, "test.json").Get("tiny");

        Assert.Equal("sagan", configuration.Detector);
        Assert.Equal("default", configuration.Preprocessing);
        Assert.Equal("4", configuration.Options["ConvDim"]);
        Assert.Equal("true", configuration.Options["SelectBestCheckpoint"]);
        Assert.Equal(0.5, configuration.Pool!.AbnormalRatio);
        Assert.Null(configuration.Pool.Extra);
    }

    [Theory]
    [InlineData("missing", "Unknown configuration 'missing' in 'test.json'; known: tiny, typo")]
    [InlineData("typo", "Configuration 'typo' in 'test.json': SaganOptions has no setting 'ConvDims'")]
    [InlineData("bad-value", "Setting 'Ranking' cannot be 'Sideways'")]
    [InlineData("odd-kind", "unknown detector kind 'vae'; known: sagan, patchgan, autoencoder, baseline")]
    [InlineData("odd-preprocessing", "unknown preprocessing 'sepia'")]
    public void Get_BadEntry_MessageQuotesTheBadValue(string name, string expected)
    {
        var catalog = ConfigurationCatalog.Parse(Json, "test.json");

        var error = Assert.Throws<HarnessException>(() => catalog.Get(name));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownField_NamesIt()
    {
        var error = Assert.Throws<HarnessException>(() => ConfigurationCatalog.Parse("""{ "x": { "detector": "sagan", "opitons": {} } }""", "test.json"));

        Assert.Contains("opitons", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoDetector_NamesTheConfiguration()
    {
        var error = Assert.Throws<HarnessException>(() => ConfigurationCatalog.Parse("""{ "x": { "options": {} } }""", "test.json"));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_RepositoryConfigurations_EveryBuiltInKindResolves()
    {
        var catalog = ConfigurationCatalog.Load(Path.Combine(RepositoryRoot(), ConfigurationCatalog.DefaultPath));
        var kinds = DetectorRegistry.Kinds.ToHashSet();

        var resolved = catalog.Names.Select(name => (name, kind: ConfigurationKind(catalog, name))).ToList();

        Assert.All(resolved.Where(r => kinds.Contains(r.kind)), r => catalog.Get(r.name));
        Assert.Contains(resolved, r => r.name == "sagan-fast");
        Assert.Contains(resolved, r => r.name == "patchgan-64");
        var baselines = resolved.Where(r => r.kind == DetectorRegistry.Baseline).Select(r => r.name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["baseline-brightness", "baseline-brightness-top", "baseline-darkness", "baseline-darkness-top", "baseline-inverted-spread", "baseline-spread"], baselines);
        Assert.All(baselines, name => OptionsBinder.Apply(new BaselineOptions(), catalog.Get(name).Options));
    }

    [Fact]
    public void Apply_ValuesOfEachType_SetProperties()
    {
        var options = new SaganOptions();

        OptionsBinder.Apply(options, [new("convdim", "12"), new("LearningRate", "0.001"), new("SelectBestCheckpoint", "true"), new("CheckpointDirectory", "null")]);

        Assert.Equal(12, options.ConvDim);
        Assert.Equal(0.001, options.LearningRate);
        Assert.True(options.SelectBestCheckpoint);
        Assert.Null(options.CheckpointDirectory);
    }

    [Fact]
    public void Apply_DottedKey_SetsTheNestedOption()
    {
        var options = new SaganOptions();

        OptionsBinder.Apply(options, "calibration.SubtractNormalMap", "true");
        OptionsBinder.Apply(options, "Calibration.NormalPercentile", "0.9");

        Assert.True(options.Calibration.SubtractNormalMap);
        Assert.Equal(0.9, options.Calibration.NormalPercentile);
    }

    [Theory]
    [InlineData("Calibrations.SubtractNormalMap", "no options group 'Calibrations'")]
    [InlineData("ConvDim.Width", "no options group 'ConvDim'")]
    [InlineData("Calibration.Subtract", "CalibrationOptions has no setting 'Subtract'")]
    public void Apply_BadDottedKey_NamesTheMissingPart(string key, string expected)
    {
        var error = Assert.Throws<HarnessException>(() => OptionsBinder.Apply(new SaganOptions(), key, "true"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePair_NoEquals_QuotesTheText()
    {
        var error = Assert.Throws<HarnessException>(() => OptionsBinder.ParsePair("MaxSteps100"));

        Assert.Contains("'MaxSteps100'", error.Message, StringComparison.Ordinal);
    }

    private static string ConfigurationKind(ConfigurationCatalog catalog, string name)
    {
        try
        {
            return catalog.Get(name).Detector;
        }
        catch (HarnessException ex) when (ex.Message.Contains("unknown detector kind", StringComparison.Ordinal))
        {
            return "not built in";
        }
    }

    internal static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "AnomalyDetection.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("The repository root (AnomalyDetection.sln) is not above the test binaries.");
    }
}
