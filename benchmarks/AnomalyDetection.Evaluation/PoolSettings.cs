namespace AnomalyDetection.Evaluation;

/// <summary>How the unlabeled pool of a semi-supervised run is built from a data set's <c>extra/</c> folders.</summary>
/// <param name="Extra">The extra folders whose images are the abnormal candidates, in order; null takes every extra
/// folder whose name marks it abnormal (for example <c>train_abnormal</c>, <c>abnormal_annotated</c>).</param>
/// <param name="AbnormalRatio">The abnormal share of the pool; 0 builds a pool of normal training images only.</param>
/// <param name="Size">The pool size; null uses the number of normal training images, as the SAGAN paper does.</param>
internal sealed record PoolSettings(IReadOnlyList<string>? Extra = null, double AbnormalRatio = 0.6, int? Size = null)
{
    /// <summary>A short description stored in each results row.</summary>
    public string Describe(int size, IEnumerable<string> folders) =>
        FormattableString.Invariant($"{size} images, {AbnormalRatio:0.##} abnormal from extra/{string.Join("+extra/", folders)}, the rest normal training images");
}
