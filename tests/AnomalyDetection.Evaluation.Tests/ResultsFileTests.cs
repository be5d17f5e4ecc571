namespace AnomalyDetection.Evaluation.Tests;

public sealed class ResultsFileTests
{
    [Fact]
    public void Read_AppendedRows_RoundTripsEveryField()
    {
        using var folders = new SyntheticFolders();
        var path = folders.Path("results", "results.jsonl");
        var rows = new[]
        {
            Rows.Make("ph2", "patchgan", "patchgan-fast", 0, 0.81, pixelAuroc: 0.83, trainingSeconds: 101.5),
            Rows.Make("ph2", "baseline", "baseline-darkness", 1, 0.878),
        };

        foreach (var row in rows)
        {
            ResultsFile.Append(path, row);
        }

        var read = ResultsFile.Read(path);

        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.Equal(rows.Select(ResultsFile.Serialize), read.Select(ResultsFile.Serialize));
        Assert.Equal(0.83, read[0].PixelAuroc);
        Assert.Null(read[1].PixelAuroc);
        Assert.Equal("300", read[0].Settings["MaxSteps"]);
        Assert.Equal(rows[0].Date, read[0].Date);
    }

    [Fact]
    public void Read_MalformedLine_NamesTheLine()
    {
        using var folders = new SyntheticFolders();
        var path = folders.Path("bad.jsonl");
        File.WriteAllText(path, ResultsFile.Serialize(Rows.Make("d", "baseline", "b", 0, 0.5)) + "\n\n{not json\n");

        var error = Assert.Throws<HarnessException>(() => ResultsFile.Read(path));

        Assert.Contains("Line 3", error.Message, StringComparison.Ordinal);
    }
}
