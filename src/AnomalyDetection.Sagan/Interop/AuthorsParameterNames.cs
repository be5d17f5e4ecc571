using System.Globalization;

namespace AnomalyDetection.Sagan.Interop;

/// <summary>
/// Maps <see cref="SaganGenerator"/>'s state-dictionary names to the names of the SAGAN authors' generator
/// (<c>model.py</c> of github.com/zzr728/SAGAN). The two networks have the same tensors with the same shapes, one to
/// one; only the module names differ, for example <c>stem</c> ↔ <c>layer1</c>, <c>pos1.conv</c> ↔ <c>p_bn1.0</c>,
/// <c>bottleneck.k</c> ↔ <c>bn2.(3 + k)</c>, <c>fuse1</c> ↔ <c>up_conv1</c>, <c>head</c> ↔ <c>conv</c>.
/// </summary>
/// <remarks>The authors' affine instance norms also track running statistics (<c>running_mean</c>,
/// <c>running_var</c>, <c>num_batches_tracked</c>). Their code never switches the generator to eval mode, so these
/// buffers are written but never read; ours normalise with per-instance statistics always and have no such buffers.</remarks>
internal static class AuthorsParameterNames
{
    /// <summary>The buffers each of the authors' affine instance norms adds to the state dictionary.</summary>
    public static readonly string[] RunningStatistics = ["running_mean", "running_var", "num_batches_tracked"];

    // Our prefix → the authors' prefix; the residual blocks of the bottleneck are numbered separately below.
    private static readonly (string Ours, string Authors)[] Prefixes =
    [
        ("stem.", "layer1."),
        ("enc1.", "enc_layer1."),
        ("enc2.", "enc_layer2."),
        ("enc3.", "enc_layer3."),
        ("pos1.conv.", "p_bn1.0."),
        ("pos2.conv.", "p_bn2.0."),
        ("pos3.conv.", "bn2.0."), // the authors' bottleneck Sequential starts with the third position fusion
        ("att1.gate.", "gate1.W_gate."),
        ("att1.skip.", "gate1.W_x."),
        ("att1.psi.", "gate1.psi."),
        ("att2.gate.", "gate2.W_gate."),
        ("att2.skip.", "gate2.W_x."),
        ("att2.psi.", "gate2.psi."),
        ("att3.gate.", "gate3.W_gate."),
        ("att3.skip.", "gate3.W_x."),
        ("att3.psi.", "gate3.psi."),
        ("dec1.first.", "dec_bn1.main."),
        ("dec1.second.", "dec_bn1.sc."),
        ("dec2.first.", "dec_bn2.main."),
        ("dec2.second.", "dec_bn2.sc."),
        ("dec3.first.", "dec_bn3.main."),
        ("dec3.second.", "dec_bn3.sc."),
        ("up1.", "dec_layer1."),
        ("up2.", "dec_layer2."),
        ("up3.", "dec_layer3."),
        ("fuse1.0.0.", "up_conv1.0."), // the authors' up_conv1 is one flat Sequential of two upsampling stages
        ("fuse1.0.1.", "up_conv1.1."),
        ("fuse1.1.0.", "up_conv1.3."),
        ("fuse1.1.1.", "up_conv1.4."),
        ("fuse2.", "up_conv2."),
        ("fuse.first.", "bn3.main."),
        ("fuse.second.", "bn3.sc."),
        ("head.", "conv."),
    ];

    private const string Bottleneck = "bottleneck.";

    /// <summary>The authors' name of one of our generator's tensors.</summary>
    /// <param name="ours">A key of <see cref="SaganGenerator"/>'s state dictionary.</param>
    /// <returns>The key the authors' generator uses for the same tensor.</returns>
    /// <exception cref="ArgumentException">The name is not one of the generator's.</exception>
    public static string ToAuthors(string ours)
    {
        ArgumentNullException.ThrowIfNull(ours);
        if (ours.StartsWith(Bottleneck, StringComparison.Ordinal))
        {
            var rest = ours[Bottleneck.Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && int.TryParse(rest.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var block))
            {
                return string.Create(CultureInfo.InvariantCulture, $"bn2.{block + 3}{rest[dot..]}");
            }
        }

        foreach (var (prefix, authors) in Prefixes)
        {
            if (ours.StartsWith(prefix, StringComparison.Ordinal))
            {
                return authors + ours[prefix.Length..];
            }
        }

        throw new ArgumentException($"'{ours}' is not a SAGAN generator tensor name.", nameof(ours));
    }

    /// <summary>
    /// The authors' names of the running-statistics buffers that go with our state dictionary: three for every affine
    /// instance norm, recognised as the modules whose <c>weight</c> is one-dimensional (convolution weights have four
    /// dimensions; the plain instance norms of the position fusions and attention gates have no tensors at all).
    /// </summary>
    /// <param name="ours">Our generator's state dictionary names and shapes.</param>
    /// <returns>The authors' module prefix (ending in a dot) of each affine norm, in state-dictionary order.</returns>
    public static IReadOnlyList<string> AffineNormPrefixes(IEnumerable<KeyValuePair<string, long[]>> ours)
    {
        ArgumentNullException.ThrowIfNull(ours);
        const string weight = "weight";
        return ours
            .Where(p => p.Key.EndsWith("." + weight, StringComparison.Ordinal) && p.Value.Length == 1)
            .Select(p => ToAuthors(p.Key)[..^weight.Length])
            .ToList();
    }
}
