namespace AnomalyDetection.Detection;

/// <summary>
/// One-line meanings of the loss names the built-in detectors report in <see cref="TrainingProgress.Losses"/>, so that a
/// progress display can say what the numbers are and which way they should move.
/// </summary>
public static class TrainingLossGlossary
{
    private static readonly Dictionary<string, string> Meanings = new(StringComparer.Ordinal)
    {
        ["critic"] = "the critic's total loss (Wasserstein term plus weighted gradient penalty); it hovers rather than falls",
        ["wasserstein_distance"] = "how far apart the critic rates real and restored images; near 0 means the critic cannot tell them apart",
        ["gradient_penalty"] = "how far the critic's gradient norm is from 1 (keeps the critic smooth); falls from about 1 towards 0",
        ["generator"] = "the generator's total loss (adversarial plus identity plus restoration); should fall",
        ["adversarial"] = "how much the generator's outputs still look fake to the critic or discriminator",
        ["identity"] = "mean absolute change the generator makes to normal images (L1); should fall",
        ["restoration"] = "mean squared error between a normal image and the generator's repair of its corrupted copy; should fall",
        ["discriminator"] = "the patch discriminators' loss at telling real from reconstructed patches",
        ["global"] = "the whole-image discriminator's loss",
        ["reconstruction"] = "reconstruction error (the autoencoder's whole image; Patch-GAN's masked patches, L1); should fall",
        ["reconstructor"] = "the reconstructor's total loss (reconstruction plus weighted adversarial and ranking terms)",
        ["ranking"] = "the loss that weights the hardest patches most (patch ranking)",
    };

    /// <summary>The meaning of a loss name, or null for a name this library does not report.</summary>
    /// <param name="name">A key of <see cref="TrainingProgress.Losses"/>.</param>
    /// <returns>A one-line description, or null.</returns>
    public static string? Describe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Meanings.GetValueOrDefault(name);
    }
}
