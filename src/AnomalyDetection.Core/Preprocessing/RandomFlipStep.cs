using System.Text.Json.Serialization;
using AnomalyDetection.Imaging;
using AnomalyDetection.Randomness;

namespace AnomalyDetection.Preprocessing;

/// <summary>Training augmentation: mirrors the image left–right and/or top–bottom, each with its own probability.</summary>
/// <remarks>Every call draws two numbers (horizontal, then vertical) whatever the outcome, so later steps see the
/// same random stream for a given seed.</remarks>
public sealed record RandomFlipStep : PreprocessingStep
{
    /// <summary>Creates the step.</summary>
    /// <param name="horizontalProbability">The chance of a left–right mirror, in [0, 1].</param>
    /// <param name="verticalProbability">The chance of a top–bottom mirror, in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1].</exception>
    [JsonConstructor]
    public RandomFlipStep(double horizontalProbability = 0.5, double verticalProbability = 0)
    {
        CheckProbability(horizontalProbability, nameof(horizontalProbability));
        CheckProbability(verticalProbability, nameof(verticalProbability));
        HorizontalProbability = horizontalProbability;
        VerticalProbability = verticalProbability;
    }

    /// <summary>The chance of a left–right mirror.</summary>
    public double HorizontalProbability { get; }

    /// <summary>The chance of a top–bottom mirror.</summary>
    public double VerticalProbability { get; }

    /// <inheritdoc/>
    public override bool IsAugmentation => true;

    /// <summary>Returns <paramref name="image"/> unchanged: augmentations only act during training.</summary>
    /// <param name="image">The input image.</param>
    /// <returns><paramref name="image"/>.</returns>
    public override ImageData Apply(ImageData image) => image;

    /// <inheritdoc/>
    public override ImageData ApplyForTraining(ImageData image, RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        var horizontal = random.NextDouble() < HorizontalProbability;
        var vertical = random.NextDouble() < VerticalProbability;
        return horizontal || vertical ? Flip(image, horizontal, vertical) : image;
    }

    /// <summary>Mirrors <paramref name="image"/> along the chosen axes.</summary>
    internal static ImageData Flip(ImageData image, bool horizontal, bool vertical)
    {
        var (width, height) = (image.Width, image.Height);
        var output = new float[image.Pixels.Length];
        for (var c = 0; c < image.Channels; c++)
        {
            var plane = image.Channel(c);
            for (var y = 0; y < height; y++)
            {
                var source = plane.Slice((vertical ? height - 1 - y : y) * width, width);
                var destination = output.AsSpan(((c * height) + y) * width, width);
                source.CopyTo(destination);
                if (horizontal)
                {
                    destination.Reverse();
                }
            }
        }

        return image.WithPixels(image.Channels, output);
    }

    private static void CheckProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "A probability must be in [0, 1].");
        }
    }
}
