namespace AnomalyDetection.Evaluation;

/// <summary>One evaluated run (one detector, configuration, data set and seed): a line of the results file.</summary>
/// <param name="Dataset">The data set folder's name, such as <c>lgg_flair</c>.</param>
/// <param name="Detector">The detector kind.</param>
/// <param name="Configuration">The configuration name.</param>
/// <param name="Seed">The seed.</param>
/// <param name="ImageSize">The side of the network input (or of the scored images; 0 = native for baselines).</param>
/// <param name="Epochs">The epochs trained (the last reported epoch); 0 for baselines.</param>
/// <param name="Steps">The optimisation steps trained; 0 for baselines.</param>
/// <param name="TrainingSeconds">Wall-clock training time, calibration included; 0 for baselines.</param>
/// <param name="ImageAuroc">Image-level AUROC on the test split.</param>
/// <param name="ImageAveragePrecision">Image-level average precision.</param>
/// <param name="ImageF1Max">Image-level F1-max.</param>
/// <param name="PixelAuroc">Pixel AUROC, or null without masks or maps.</param>
/// <param name="PixelBestDice">Pixel best Dice, or null.</param>
/// <param name="PixelAupro">Pixel AUPRO (FPR ≤ 0.3), or null.</param>
/// <param name="TestNormal">Normal test images.</param>
/// <param name="TestAbnormal">Abnormal test images.</param>
/// <param name="Settings">The configuration's settings after <c>--set</c> overrides.</param>
/// <param name="Preprocessing">The preprocessing choice.</param>
/// <param name="Pool">The unlabeled pool, described, or null for one-class runs.</param>
/// <param name="Commit">The repository commit (with <c>+dirty</c> when the tree had changes), or null when unknown.</param>
/// <param name="DetectorVersion">The detector assembly's informational version.</param>
/// <param name="Threads">The engine's thread count.</param>
/// <param name="ProcessorCount">The processors the machine reported.</param>
/// <param name="Machine">The processor model and operating system.</param>
/// <param name="Date">When the run finished (UTC).</param>
/// <param name="Command">The command that regenerates the row.</param>
/// <param name="ProxyImageAuroc">The label-free proxy: AUROC of the held-out training normals against synthetic anomalies
/// made from them (<see cref="Metrics.ProxyAuroc"/>); null for baselines and rows from before it existed.</param>
/// <param name="ValidationMetric">The detector's validation metric at its last validation (lower is better; for SAGAN
/// with <c>PoolValidationFraction</c>, 1 − AUROC of held-out normals against held-out pool images), or null when none ran.</param>
/// <param name="ValidationCurve">Every validation of the training run (step and metric), or null when none ran; with
/// <c>SelectBestCheckpoint</c> the kept weights are those of <paramref name="SelectedStep"/>.</param>
/// <param name="SelectedStep">The step whose weights the detector kept by its best validation, or null when it kept the
/// last weights.</param>
/// <param name="Engine">The engine and device, such as <c>TorchSharp 0.107.0 / LibTorch 2.10.0 cpu</c>; null in rows of the retired managed engine.</param>
internal sealed record ResultRow(
    string Dataset,
    string Detector,
    string Configuration,
    long Seed,
    int ImageSize,
    int Epochs,
    long Steps,
    double TrainingSeconds,
    double ImageAuroc,
    double ImageAveragePrecision,
    double ImageF1Max,
    double? PixelAuroc,
    double? PixelBestDice,
    double? PixelAupro,
    int TestNormal,
    int TestAbnormal,
    IReadOnlyDictionary<string, string> Settings,
    string Preprocessing,
    string? Pool,
    string? Commit,
    string DetectorVersion,
    int Threads,
    int ProcessorCount,
    string Machine,
    DateTimeOffset Date,
    string Command,
    string? Engine = null,
    double? ProxyImageAuroc = null,
    double? ValidationMetric = null,
    IReadOnlyList<ValidationPoint>? ValidationCurve = null,
    long? SelectedStep = null);
