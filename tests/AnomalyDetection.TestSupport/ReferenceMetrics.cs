namespace AnomalyDetection.TestSupport;

/// <summary>Metrics computed the slow way, from their definitions, to check the library's fast ones against.</summary>
public static class ReferenceMetrics
{
    /// <summary>The AUROC as the Mann–Whitney statistic: the share of (anomalous, normal) pairs in which the anomalous
    /// image scores higher, a tie counting one half.</summary>
    /// <param name="scored">Each image's score and whether it is anomalous; at least one of each kind.</param>
    public static double PairwiseAuroc(IEnumerable<(double Score, bool Anomalous)> scored)
    {
        var all = scored.ToList();
        var anomalous = all.Where(s => s.Anomalous).Select(s => s.Score).ToList();
        var normal = all.Where(s => !s.Anomalous).Select(s => s.Score).ToList();
        var wins = anomalous.Sum(a => normal.Sum(n => a > n ? 1.0 : a == n ? 0.5 : 0.0));
        return wins / (anomalous.Count * normal.Count);
    }
}
