namespace AnomalyDetection.Evaluation.Tests;

/// <summary>Results rows for the page and file tests.</summary>
internal static class Rows
{
    public static ResultRow Make(string dataset, string detector, string configuration, long seed, double imageAuroc, double? pixelAuroc = null, double trainingSeconds = 0, string? engine = null) => new(
        dataset, detector, configuration, seed, 64, 3, 300, trainingSeconds, imageAuroc, 0.5, 0.6, pixelAuroc, pixelAuroc is null ? null : 0.4, pixelAuroc is null ? null : 0.3,
        36, 25, new Dictionary<string, string> { ["MaxSteps"] = "300" }, "auto", null, "abc1234", "0.1.0", 2, 2, "test machine",
        new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero), $"run --dataset {dataset} --config {configuration}", engine);
}
