using System.Text.Json.Nodes;
using AnomalyDetection.ModelFiles;
using AnomalyDetection.PatchGan;

namespace AnomalyDetection.Reliability.Tests.Fuzzing;

/// <summary>
/// A model file whose calibration is degenerate (an empty score range, an infinite threshold, no normal scores, a
/// negative standard deviation) is refused when the file is read, by <see cref="ModelFile.ReadAsync(Stream, string, string?, CancellationToken)"/>
/// as by a detector's loader, naming the file and the field.
/// </summary>
public class ForgedCalibrationTests
{
    public static TheoryData<string, string, string> DegenerateCalibrations => new()
    {
        // section to replace, its forged JSON (the tiny Patch-GAN's image range is within [0, 1]), the field named
        { "image", """{ "threshold": 0.5, "minimum": 0.25, "maximum": 0.25, "source": "F1Max" }""", "calibration.image.maximum is invalid" },
        { "image", """{ "threshold": 1e400, "minimum": 0.25, "maximum": 0.75, "source": "F1Max" }""", "calibration.image.threshold is invalid: The threshold must be finite. (was Infinity)" },
        { "image", """{ "threshold": 0.5, "minimum": 0.25, "maximum": 0.75, "source": 99 }""", "calibration.image.source is invalid: 99 is not one of" },
        { "image", "null", "the manifest's calibration has no 'image' threshold" },
        { "pixel", """{ "threshold": 0.5, "minimum": 0.75, "maximum": 0.25, "source": "F1Max" }""", "calibration.pixel.maximum is invalid" },
        { "imagePValues", """{ "method": "empirical", "normalScores": [] }""", "calibration.imagePValues.normalScores is invalid: Empirical p-values need at least one normal score." },
        { "imagePValues", """{ "method": "gaussian", "mean": 0.5, "standardDeviation": -1 }""", "calibration.imagePValues.standardDeviation is invalid" },
        { "imagePValues", """{ "method": "weibull", "shape": 1 }""", "calibration.imagePValues is malformed" },
    };

    [Theory]
    [MemberData(nameof(DegenerateCalibrations))]
    public async Task Read_DegenerateCalibration_IsRefusedNamingTheFileAndTheField(string section, string forged, string expected)
    {
        var file = WithCalibrationSection(section, forged);

        var read = await Assert.ThrowsAsync<InvalidModelFileException>(() => ModelFile.ReadAsync(new MemoryStream(file), "forged.adm"));
        var load = await Assert.ThrowsAsync<InvalidModelFileException>(() => PatchGanDetector.LoadAsync(new MemoryStream(file), "forged.adm"));

        foreach (var error in new[] { read, load })
        {
            Assert.Equal("forged.adm", error.Source);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
    }

    [Fact]
    public async Task Read_UntouchedCalibration_StillLoads()
    {
        var file = WithCalibrationSection("image", null);

        var detector = await PatchGanDetector.LoadAsync(new MemoryStream(file), "forged.adm");

        Assert.Equal(Tiny.FittedDetector.Calibration, detector.Calibration);
    }

    /// <summary>The tiny Patch-GAN's model file with one section of its calibration replaced by raw JSON text (kept as
    /// written, so that 1e400 reaches the reader as 1e400); null leaves the manifest as saved.</summary>
    private static byte[] WithCalibrationSection(string section, string? json) => ForgedManifestTests.WithManifest(manifest =>
    {
        if (json is null)
        {
            return manifest;
        }

        const string Placeholder = "\"forged-calibration-section\"";
        var root = JsonNode.Parse(manifest)!;
        var calibration = root["calibration"]!.AsObject();
        Assert.True(section == "pixel" || calibration[section] is not null, $"The tiny model has no calibration.{section}.");
        calibration[section] = JsonValue.Create("forged-calibration-section");
        return root.ToJsonString().Replace(Placeholder, json, StringComparison.Ordinal);
    });
}
