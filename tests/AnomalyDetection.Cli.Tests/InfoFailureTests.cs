namespace AnomalyDetection.Cli.Tests;

/// <summary><c>info</c> on model files with a degenerate calibration: one line naming the file and the field, as
/// <c>predict</c> gives for the same files, never a stack trace.</summary>
public sealed class InfoFailureTests(TinyModelFixture tiny) : IClassFixture<TinyModelFixture>
{
    [Theory]
    [InlineData("image", """{ "threshold": 0.5, "minimum": 0.25, "maximum": 0.25, "source": "F1Max" }""", "calibration.image.maximum is invalid: The score range must have positive width")]
    [InlineData("image", """{ "threshold": 1e400, "minimum": 0.25, "maximum": 0.75, "source": "F1Max" }""", "calibration.image.threshold is invalid: The threshold must be finite. (was Infinity)")]
    [InlineData("imagePValues", """{ "method": "empirical", "normalScores": [] }""", "calibration.imagePValues.normalScores is invalid")]
    [InlineData("imagePValues", """{ "method": "gaussian", "mean": 0.5, "standardDeviation": -1 }""", "calibration.imagePValues.standardDeviation is invalid")]
    [InlineData("pixel", """{ "threshold": 0.5, "minimum": 0.75, "maximum": 0.25, "source": "F1Max" }""", "calibration.pixel.maximum is invalid")]
    public async Task InfoAndPredict_DegenerateCalibration_ExitOneNamingTheFileAndTheField(string section, string json, string expected)
    {
        var forged = ModelForgery.WithCalibrationSection(tiny.Model, section, json, tiny.Data.PathFor("forged.adm"));

        var info = await CliRun.RunAsync("info", forged);
        var predict = await CliRun.RunAsync("predict", "--model", forged, tiny.Data.Folder("test/normal"), "--out", tiny.Data.PathFor("predictions"));

        CliAssert.BadInput(info, $"Model file '{forged}': the manifest's {expected}");
        CliAssert.BadInput(predict, $"Model file '{forged}': the manifest's {expected}");
    }
}
