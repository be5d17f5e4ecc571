using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Preprocessing;

/// <summary>
/// An ordered list of <see cref="PreprocessingStep"/>s, stored with a model so that inference preprocesses exactly
/// as training did.
/// </summary>
/// <example>
/// <code>
/// var pipeline = new PreprocessingPipeline([
///     new ConvertChannelsStep(1),
///     new ResizeStep(128, 128, ResizeMethod.Area),
///     new RandomFlipStep(horizontalProbability: 0.5),
///     new ForegroundZScoreStep(),
/// ]);
/// var json = pipeline.ToJson();                       // stored in the model file
/// var input = pipeline.Apply(ImageIO.Load("x.png"));  // inference: the flip is skipped
/// </code>
/// </example>
public sealed class PreprocessingPipeline
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>Creates a pipeline.</summary>
    /// <param name="steps">The steps, applied in order.</param>
    /// <exception cref="ArgumentException">A step is <see langword="null"/>.</exception>
    [JsonConstructor]
    public PreprocessingPipeline(IReadOnlyList<PreprocessingStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i] is null)
            {
                throw new ArgumentException($"Step {i} is null.", nameof(steps));
            }
        }

        Steps = [.. steps];
    }

    /// <summary>A pipeline that returns images unchanged.</summary>
    public static PreprocessingPipeline Empty { get; } = new([]);

    /// <summary>The steps, applied in order.</summary>
    public IReadOnlyList<PreprocessingStep> Steps { get; }

    /// <summary>The width and height of every output image, set by the last resize or crop; null when no step fixes
    /// the size, so outputs keep their input's size.</summary>
    [JsonIgnore]
    public (int Width, int Height)? OutputSize => Steps.LastOrDefault(s => s.OutputSize is not null)?.OutputSize;

    /// <summary>The channel count of every output image, set by the last channel conversion; null when no step fixes it.</summary>
    [JsonIgnore]
    public int? OutputChannels => Steps.LastOrDefault(s => s.OutputChannels is not null)?.OutputChannels;

    /// <summary>Reads a pipeline written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The pipeline.</returns>
    /// <exception cref="JsonException">The text is not a valid pipeline (for example an unknown step kind).</exception>
    /// <exception cref="ArgumentException">A step's values are out of range.</exception>
    public static PreprocessingPipeline FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<PreprocessingPipeline>(json, JsonOptions)
            ?? throw new JsonException("The JSON text is null, not a preprocessing pipeline.");
    }

    /// <summary>Writes the pipeline as JSON: <c>{"steps":[{"kind":"resize","width":128,…},…]}</c>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Preprocesses an image for inference or evaluation; augmentations are skipped.</summary>
    /// <param name="image">The decoded image.</param>
    /// <returns>The preprocessed image.</returns>
    public ImageData Apply(ImageData image)
    {
        ArgumentNullException.ThrowIfNull(image);
        foreach (var step in Steps)
        {
            image = step.Apply(image);
        }

        return image;
    }

    /// <summary>Preprocesses an image for training; augmentations draw from <paramref name="random"/>.</summary>
    /// <param name="image">The decoded image.</param>
    /// <param name="random">The seeded source of every random decision.</param>
    /// <returns>The preprocessed, augmented image.</returns>
    public ImageData ApplyForTraining(ImageData image, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        foreach (var step in Steps)
        {
            image = step.ApplyForTraining(image, random);
        }

        return image;
    }

    /// <summary>Carries a ground-truth mask through the pipeline's geometry (resize, crop) so it stays aligned with
    /// the preprocessed image.</summary>
    /// <param name="mask">A one-channel mask of the decoded image's size, with values 0 and 1.</param>
    /// <returns>The mask at the preprocessed image's size, with values 0 and 1.</returns>
    /// <exception cref="ArgumentException">The mask has more than one channel.</exception>
    public ImageData ApplyToMask(ImageData mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Channels != 1)
        {
            throw new ArgumentException($"A mask has one channel, but this one has {mask.Channels}.", nameof(mask));
        }

        foreach (var step in Steps)
        {
            mask = step.ApplyToMask(mask);
        }

        return mask;
    }
}
