using System.Collections.Concurrent;
using AnomalyDetection.Autoencoder;
using AnomalyDetection.Detection;

namespace AnomalyDetection.Reliability.Tests.Load;

/// <summary>
/// Fit and predictions on one detector are exclusive: a refit started while another thread predicts without pause
/// waits for the running prediction, and predictions made while it trains are refused, so every score comes from the
/// weights before the refit or after it, never from weights in the middle of training.
/// </summary>
public class FitDuringPredictionTests
{
    [Fact]
    public async Task Fit_WhilePredictionsRun_NoPredictionSeesWeightsInTraining()
    {
        var options = Tiny.Autoencoder(seed: 3);
        options.MaxSteps = 12;
        var data = new TrainingData(Tiny.Dataset("train", 24, seed: 31));
        var detector = new AutoencoderDetector(options);
        detector.Fit(data);
        var image = Tiny.Images(1, seed: 32)[0];
        var before = detector.Predict(image).Score;
        var scores = new ConcurrentBag<float>();
        var refused = 0;
        using var stop = new CancellationTokenSource();
        var predicting = new ManualResetEventSlim();
        var predictor = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    scores.Add(detector.Predict(image).Score);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                }

                predicting.Set();
            }
        });

        predicting.Wait();

        // Other data: every Fit starts from the seed's weights, so a refit on the same data would give the same model.
        detector.Fit(new TrainingData(Tiny.Dataset("train", 24, seed: 33)));
        var after = detector.Predict(image).Score;
        await stop.CancelAsync();
        await predictor;

        Assert.NotEqual(before, after);
        Assert.True(refused > 0, "no prediction overlapped the refit");
        var strays = scores.Where(s => s != before && s != after).Distinct().ToList();
        Assert.True(strays.Count == 0, $"{strays.Count} score(s) came from weights in training: {string.Join(", ", strays.Take(5))}");
    }
}
