using System.Globalization;
using System.Text.Json.Serialization;
using AnomalyDetection.Calibration;
using AnomalyDetection.Preprocessing;
using TorchSharp;

namespace AnomalyDetection.Detection;

/// <summary>Settings every detector shares. Detector options derive from this class.</summary>
/// <remarks>Options are copied when a detector is built, so changing them later does not affect it.</remarks>
public abstract class DetectorOptions
{
    /// <summary>The side of the square network input, in pixels. Defaults to 64.</summary>
    public int ImageSize { get; set; } = 64;

    /// <summary>Network input channels: 1 (gray) or 3 (RGB). Defaults to 1.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Seeds initialisation, sampling, augmentation and the validation split. Defaults to 0.</summary>
    public long Seed { get; set; }

    /// <summary>Images per training step and per prediction batch. Defaults to 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Where the networks train and score: <c>cpu</c> (the default), <c>cuda</c> or <c>cuda:N</c>. CUDA needs the
    /// application to reference a CUDA build of TorchSharp (see docs/gpu.md); GPU runs are not bit-reproducible.
    /// </summary>
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// Threads LibTorch uses on the CPU (a process-wide setting applied when training or scoring starts); 0 (the default)
    /// keeps LibTorch's choice, the core count. Results are bit-reproducible for one seed and thread count.
    /// </summary>
    public int Threads { get; set; }

    /// <summary>The fraction of normal training images held out for validation when no validation set is given. Defaults to 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Training steps between evaluations of the validation metric, which also runs after the last step; lower
    /// is better (SAGAN: the mean score of the validation images; Patch-GAN and the autoencoder: their mean reconstruction
    /// error). Defaults to 1000.</summary>
    public int ValidationInterval { get; set; } = 1000;

    /// <summary>Stops training after this many validations in a row without an improvement of at least
    /// <see cref="EarlyStoppingMinDelta"/>, restoring the best weights; 0 turns early stopping off. Defaults to 0.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>The smallest decrease of the validation metric that counts as an improvement. Defaults to 0.</summary>
    public double EarlyStoppingMinDelta { get; set; }

    /// <summary>
    /// Keeps the weights of the best validation instead of the last ones. Defaults to false: the final weights are kept,
    /// as the SAGAN paper's evaluation script does. Early stopping always restores the best weights.
    /// </summary>
    public bool SelectBestCheckpoint { get; set; }

    /// <summary>
    /// A folder for training checkpoints (weights, optimiser states and the training loop's progress, validation and
    /// data order), written atomically every <see cref="CheckpointInterval"/> steps and after the last. When it holds a
    /// checkpoint of the same settings and data, training resumes from it and continues bit for bit as if it had not
    /// stopped; one of other settings or data is refused. Null (the default) writes none.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>Training steps between checkpoints. Defaults to 1000.</summary>
    public int CheckpointInterval { get; set; } = 1000;

    /// <summary>How thresholds are fitted on validation data.</summary>
    public CalibrationOptions Calibration { get; set; } = new();

    /// <summary>The model of normal scores behind each prediction's p-value. Defaults to <see cref="PValueMethod.Empirical"/>.</summary>
    public PValueMethod PValueMethod { get; set; } = PValueMethod.Empirical;

    /// <summary>
    /// The preprocessing applied to every image; when null, images are converted to <see cref="Channels"/>, resized to
    /// <see cref="ImageSize"/> (bilinear) and scaled from [0, 1] to [-1, 1]. It is stored in the model file.
    /// </summary>
    [JsonIgnore]
    public PreprocessingPipeline? Preprocessing { get; set; }

    /// <summary>Every problem with these settings, each quoting the bad value and the allowed range; empty when valid.</summary>
    public virtual IEnumerable<string> Validate()
    {
        if (ImageSize is < 8 or > 4096)
        {
            yield return Invalid(nameof(ImageSize), ImageSize, "in [8, 4096]");
        }

        if (Channels is not (1 or 3))
        {
            yield return Invalid(nameof(Channels), Channels, "1 (gray) or 3 (RGB)");
        }

        foreach (var problem in PreprocessingProblems())
        {
            yield return problem;
        }

        if (Engine.TorchRuntime.DeviceError(Device) is { } deviceError)
        {
            yield return deviceError;
        }

        if (Threads is < 0 or > 1024)
        {
            yield return Invalid(nameof(Threads), Threads, "in [0, 1024] (0 keeps LibTorch's choice)");
        }

        if (BatchSize is < 1 or > 4096)
        {
            yield return Invalid(nameof(BatchSize), BatchSize, "in [1, 4096]");
        }

        if (!(ValidationFraction is >= 0 and < 1))
        {
            yield return Invalid(nameof(ValidationFraction), ValidationFraction, "in [0, 1)");
        }

        if (ValidationInterval < 1)
        {
            yield return Invalid(nameof(ValidationInterval), ValidationInterval, "at least 1");
        }

        if (EarlyStoppingPatience < 0)
        {
            yield return Invalid(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "at least 0 (0 turns early stopping off)");
        }

        if (!(EarlyStoppingMinDelta >= 0 && double.IsFinite(EarlyStoppingMinDelta)))
        {
            yield return Invalid(nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta, "finite and not negative");
        }

        if (CheckpointInterval < 1)
        {
            yield return Invalid(nameof(CheckpointInterval), CheckpointInterval, "at least 1");
        }

        if (CheckpointDirectory is { } directory && string.IsNullOrWhiteSpace(directory))
        {
            yield return Invalid(nameof(CheckpointDirectory), $"'{directory}'", "null or a folder path");
        }

        if (Calibration is null)
        {
            yield return Invalid(nameof(Calibration), "null", "an object (leave it out for the defaults)");
        }
        else if (!(Calibration.NormalPercentile is > 0 and <= 100))
        {
            yield return Invalid("Calibration.NormalPercentile", Calibration.NormalPercentile, "in (0, 100]");
        }

        if (Calibration is { MapScoreTopFraction: { } fraction } && !(fraction is > 0 and <= 1))
        {
            yield return Invalid("Calibration.MapScoreTopFraction", fraction, "null or in (0, 1]");
        }

        if (!Enum.IsDefined(PValueMethod))
        {
            yield return Invalid(nameof(PValueMethod), (int)PValueMethod, $"one of {string.Join(", ", Enum.GetNames<PValueMethod>())}");
        }
    }

    /// <summary>A custom pipeline must deliver exactly what the network takes: otherwise an image of another size or
    /// channel count would be scored silently (the networks are convolutional), or a forged model file could resize
    /// to any size.</summary>
    private IEnumerable<string> PreprocessingProblems()
    {
        if (Preprocessing is null)
        {
            yield break;
        }

        if (Preprocessing.OutputSize is not { } size)
        {
            yield return $"Preprocessing has no resize or crop step, so images would reach the network at their own size instead of ImageSize × ImageSize ({ImageSize} × {ImageSize})";
        }
        else if (size != (ImageSize, ImageSize))
        {
            yield return $"Preprocessing ends at {size.Width} × {size.Height}, but ImageSize is {ImageSize}; its last resize or crop must give {ImageSize} × {ImageSize}";
        }

        if (Preprocessing.OutputChannels is not { } channels)
        {
            yield return $"Preprocessing has no convertChannels step, so images would reach the network with their own channel count instead of Channels ({Channels})";
        }
        else if (channels != Channels)
        {
            yield return $"Preprocessing converts to {channels} channel(s), but Channels is {Channels}";
        }
    }

    /// <summary>Throws when <see cref="Validate"/> reports any problem.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public void ThrowIfInvalid()
    {
        var problems = Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {GetType().Name}: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>The default preprocessing for these options.</summary>
    public PreprocessingPipeline DefaultPreprocessing() => new(
    [
        new ConvertChannelsStep(Channels),
        new ResizeStep(ImageSize, ImageSize, ResizeMethod.Bilinear),
        new RescaleIntensityStep(0f, 1f, -1f, 1f),
    ]);

    /// <summary>
    /// A new, untrained instance of the network whose state dictionary a model file of these options stores, with its
    /// layers on <see cref="Engine.LayerDevice.Current"/>; null (the default) when the detector names none.
    /// <see cref="SavedWeightCount"/> builds it on the meta device to count the weights a model file must hold: loading
    /// compares that count with the weights the file stores before building the real network, so that a forged manifest
    /// cannot make the loader allocate a network far larger than the file.
    /// </summary>
    /// <returns>The network; the caller disposes it.</returns>
    protected internal virtual torch.nn.Module? CreateSavedNetwork() => null;

    /// <summary>
    /// A rough lower bound on the float32 activations one image's forward pass through the trained networks produces:
    /// the outputs of the convolutions at each resolution, which autograd keeps for the backward pass. Used by
    /// <see cref="TrainingMemoryEstimate"/> to refuse a training that cannot fit in memory before it starts. 0 (the
    /// default) claims nothing.
    /// </summary>
    /// <returns>The number of activation elements per image, at least.</returns>
    protected internal virtual long ActivationElementsPerImage() => 0;

    /// <summary>The output elements of a chain of stride-2 convolutions on an <paramref name="imageSize"/>² input, the
    /// encoder and discriminator ladders of the networks here.</summary>
    /// <param name="imageSize">The input's side.</param>
    /// <param name="widths">Each convolution's output channels.</param>
    /// <returns>Σ width · (side / 2^(i+1))² over the chain.</returns>
    protected static long LadderActivationElements(int imageSize, IReadOnlyList<int> widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        long total = 0;
        long side = imageSize;
        foreach (var width in widths)
        {
            side /= 2;
            total += width * side * side;
        }

        return total;
    }

    /// <summary>The range checks of a training length given in epochs or steps (<c>Epochs</c>, <c>MaxSteps</c>).</summary>
    protected static IEnumerable<string> TrainingLengthErrors(int epochs, long? maxSteps)
    {
        if (epochs is < 1 or > 100_000)
        {
            yield return Invalid("Epochs", epochs, "in [1, 100000]");
        }

        if (maxSteps is < 1)
        {
            yield return Invalid("MaxSteps", maxSteps, "null or at least 1");
        }
    }

    /// <summary>A message for a setting outside its range, quoting the value.</summary>
    /// <param name="name">The setting.</param>
    /// <param name="value">The bad value.</param>
    /// <param name="allowed">The allowed values, e.g. "in [1, 64]".</param>
    protected static string Invalid(string name, object value, string allowed) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} must be {allowed} (was {value})");
}
