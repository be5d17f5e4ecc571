namespace AnomalyDetection.Plotting.Tests;

/// <summary>Seeded, overlapping normal and anomalous score distributions, like a real detector's.</summary>
internal static class SyntheticScores
{
    public static (float[] Scores, bool[] Labels) Make(int normal = 135, int anomalous = 135, int seed = 7)
    {
        var random = new Random(seed);
        var scores = new float[normal + anomalous];
        var labels = new bool[normal + anomalous];
        for (var i = 0; i < scores.Length; i++)
        {
            labels[i] = i >= normal;
            var (mean, sd) = labels[i] ? (0.6, 0.15) : (0.3, 0.1);
            scores[i] = (float)(mean + (sd * Gaussian(random)));
        }

        return (scores, labels);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
