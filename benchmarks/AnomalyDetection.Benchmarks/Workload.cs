namespace AnomalyDetection.Benchmarks;

/// <summary>What a workload measures.</summary>
internal enum WorkloadKind
{
    /// <summary>One training step; compared by time per step.</summary>
    TrainingStep,

    /// <summary>Scoring one batch; compared by images per second.</summary>
    Scoring,
}

/// <summary>One row of the benchmark: a detector's training step or its scoring.</summary>
internal sealed record Workload(DetectorBench Detector, WorkloadKind Kind)
{
    /// <summary>The name on the command line and of the memory child: "sagan-step", "ae-score", ...</summary>
    public string Key => Detector.Key + (Kind == WorkloadKind.TrainingStep ? "-step" : "-score");

    public string Label => Kind == WorkloadKind.TrainingStep ? Detector.TrainingLabel : Detector.ScoringLabel;

    /// <summary>The PyTorch twin's spec, before the console adds the scoring twin's weights and images.</summary>
    public string BaseSpec => Kind == WorkloadKind.TrainingStep ? Detector.TrainingSpec : Detector.ScoringSpec;

    /// <summary>Every workload, in table order.</summary>
    public static IReadOnlyList<Workload> All(IEnumerable<DetectorBench> detectors)
    {
        var list = detectors.ToList();
        return [.. list.Select(d => new Workload(d, WorkloadKind.TrainingStep)), .. list.Select(d => new Workload(d, WorkloadKind.Scoring))];
    }
}
