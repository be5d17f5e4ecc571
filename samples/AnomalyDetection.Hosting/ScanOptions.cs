using System.ComponentModel.DataAnnotations;

namespace AnomalyDetection.Hosting;

/// <summary>The "Scan" section of appsettings.json: which model scores which folder, and where results go.</summary>
internal sealed class ScanOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Scan";

    /// <summary>The trained model file: loaded when it exists, otherwise written after training <see cref="TrainDetector"/>.</summary>
    [Required]
    public string ModelFile { get; set; } = "";

    /// <summary>The registered detector to train when <see cref="ModelFile"/> does not exist yet.</summary>
    [Required]
    public string TrainDetector { get; set; } = "";

    /// <summary>The training data in the folder layout (train/normal, extra/train_abnormal); empty for the embedded data.</summary>
    public string? TrainingData { get; set; }

    /// <summary>The folder scanned, with its subfolders; empty for the embedded data's test split.</summary>
    public string? InputFolder { get; set; }

    /// <summary>The CSV file the scores are written to.</summary>
    [Required]
    public string OutputCsv { get; set; } = "";

    /// <summary>How many images are loaded and scored at a time; bounds the memory the scan needs.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 32;
}
