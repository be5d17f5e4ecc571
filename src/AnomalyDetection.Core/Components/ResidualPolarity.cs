namespace AnomalyDetection.Components;

/// <summary>
/// Which side of a restoration's residual x − G(x) counts as anomalous. Some lesions have a known polarity in a given
/// modality (hyperintense tumours and oedema in FLAIR MRI): counting only that side ignores the restorer's errors of the
/// other sign, which carry no lesion. Where a disease changes contrast rather than brightness, both sides carry it.
/// </summary>
public enum ResidualPolarity
{
    /// <summary>|x − G(x)|: either side (the papers' choice, the default).</summary>
    Absolute,

    /// <summary>max(x − G(x), 0): only where the image is brighter than its restoration.</summary>
    Brighter,

    /// <summary>max(G(x) − x, 0): only where the image is darker than its restoration.</summary>
    Darker,
}
