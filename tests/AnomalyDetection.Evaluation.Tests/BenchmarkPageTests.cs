namespace AnomalyDetection.Evaluation.Tests;

public sealed class BenchmarkPageTests
{
    private static readonly ResultRow[] Results =
    [
        Rows.Make("ph2", "patchgan", "patchgan-fast", 0, 0.80, pixelAuroc: 0.84, trainingSeconds: 100),
        Rows.Make("ph2", "patchgan", "patchgan-fast", 1, 0.90, pixelAuroc: 0.86, trainingSeconds: 120),
        Rows.Make("ph2", "baseline", "baseline-darkness", 0, 0.70, pixelAuroc: 0.90),
        Rows.Make("ph2", "baseline", "baseline-spread", 0, 0.60),
        Rows.Make("lgg", "sagan", "sagan-fast", 0, 0.55, trainingSeconds: 60),
    ];

    [Fact]
    public void Render_TwoSeeds_MeanSdAndComparisonWithBestBaseline()
    {
        var page = BenchmarkPage.Render(Results, PageNotes.Empty);

        // Image AUROC: mean 0.85, sd √((0.05² + 0.05²) / 1) = 0.0707; best baseline 0.70 → +0.150.
        // Pixel AUROC: mean 0.85, sd 0.0141; best baseline map 0.90 → −0.050.
        Assert.Contains("| patchgan | patchgan-fast | retired | 2 | 64² | 300 | 110 ± 14 s | 0.850 ± 0.071 | 0.500 ± 0.000 | 0.600 ± 0.000 | 0.850 ± 0.014 |", page, StringComparison.Ordinal);
        Assert.Contains("image above (+0.150); pixel **below** (−0.050)", page, StringComparison.Ordinal);
        Assert.Contains("| baseline | baseline-spread | retired | 1 | 64² | 300 | none | 0.600 ± — |", page, StringComparison.Ordinal);
        Assert.Contains("Best trivial baseline: image AUROC 0.700 (baseline-darkness), pixel AUROC 0.900 (baseline-darkness).", page, StringComparison.Ordinal);
        Assert.Contains("| sagan | sagan-fast | retired | 1 | 64² | 300 | 60 ± — s | 0.550 ± — | 0.500 ± — | 0.600 ± — | n/a | n/a | n/a | no baseline rows |", page, StringComparison.Ordinal);
        Assert.Contains("run --dataset ph2 --config patchgan-fast\n", page, StringComparison.Ordinal);
        Assert.Contains("Total training time over all rows: 0:04:40", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TrainingOverADay_CountsTheHoursOnPastTwentyFour()
    {
        // 25 h 1 min 1 s over two rows: a plain TimeSpan format would print 1:01:01 and drop the day.
        ResultRow[] rows =
        [
            Rows.Make("ph2", "sagan", "sagan-long", 0, 0.8, trainingSeconds: 86_400),
            Rows.Make("ph2", "sagan", "sagan-long", 1, 0.8, trainingSeconds: 3661),
        ];

        var page = BenchmarkPage.Render(rows, PageNotes.Empty);

        Assert.Contains("Total training time over all rows: 25:01:01 of wall clock.", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EngineRows_GroupApartFromRetiredRowsAndStandInTheStandingTable()
    {
        const string engine = "TorchSharp 0.107.0 / LibTorch 2.10.0 cpu";
        ResultRow[] rows =
        [
            .. Results,
            Rows.Make("ph2", "patchgan", "patchgan-fast", 0, 0.75, pixelAuroc: 0.95, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "patchgan", "patchgan-fast", 1, 0.85, pixelAuroc: 0.93, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "patchgan", "patchgan-fast", 2, 0.65, pixelAuroc: 0.94, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "sagan", "sagan-steady", 0, 0.72, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "sagan", "sagan-steady", 1, 0.74, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "sagan", "sagan-steady", 2, 0.76, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "sagan", "sagan-two-seeds", 0, 0.99, trainingSeconds: 50, engine: engine),
            Rows.Make("ph2", "sagan", "sagan-two-seeds", 1, 0.99, trainingSeconds: 50, engine: engine),
        ];

        var page = BenchmarkPage.Render(rows, PageNotes.Empty);

        // The engine's patchgan-fast: image mean 0.75 (+0.050), sd 0.10 (too wide); pixel mean 0.94 (+0.040), sd 0.01.
        // sagan-steady: mean 0.74, sd 0.02. The two-seed configuration and the retired rows stay out of the standing table.
        Assert.Contains(
            "| ph2 | 0.700 (baseline-darkness) | 0.900 (baseline-darkness) | "
            + "patchgan-fast: 0.750 ± 0.100; 0.940 ± 0.010 — image above (+0.050); pixel above (+0.040); sd **too wide**<br>"
            + "sagan-steady: 0.740 ± 0.020 — image above (+0.040); sd ok |",
            page, StringComparison.Ordinal);
        Assert.Contains("| lgg | n/a | n/a | none yet |", page, StringComparison.Ordinal);
        Assert.Contains("| patchgan | patchgan-fast | TorchSharp cpu | 3 | 64² | 300 | 50 ± 0 s | 0.750 ± 0.100 |", page, StringComparison.Ordinal);
        Assert.Contains("| patchgan | patchgan-fast | retired | 2 |", page, StringComparison.Ordinal);
        Assert.True(
            page.IndexOf("| patchgan | patchgan-fast | TorchSharp cpu", StringComparison.Ordinal) < page.IndexOf("| patchgan | patchgan-fast | retired", StringComparison.Ordinal),
            "the engine's rows come before the retired engine's");
    }

    [Fact]
    public void Render_Notes_PlacedAtTheirSections()
    {
        var notes = PageNotes.Parse("ignored preamble\n## intro\nIntro text.\n## ph2\nPH2 is small.\n\n## budget\nTwo cores.\n## closing\nThe end.\n");

        var page = BenchmarkPage.Render(Results, notes);

        Assert.DoesNotContain("ignored preamble", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("Intro text.", StringComparison.Ordinal) < page.IndexOf("## ph2", StringComparison.Ordinal));
        Assert.Contains("## ph2\n\nPH2 is small.\n\nTest split: 36 normal, 25 abnormal images.", page, StringComparison.Ordinal);
        Assert.Contains("## Training budget\n\nTwo cores.\n\n| data set |", page, StringComparison.Ordinal);
        Assert.EndsWith("The end.\n", page, StringComparison.Ordinal);
    }
}
