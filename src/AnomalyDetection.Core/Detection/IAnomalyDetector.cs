using AnomalyDetection.Calibration;
using AnomalyDetection.Data;
using AnomalyDetection.Imaging;
using AnomalyDetection.Metrics;
using AnomalyDetection.ModelFiles;

namespace AnomalyDetection.Detection;

/// <summary>
/// One anomaly detector: trained on normal images (and, for semi-supervised detectors, an unlabeled mix), it scores
/// new images, labels them against a calibrated threshold and, where it localises, returns a pixel anomaly map.
/// </summary>
/// <remarks>
/// <para>Prediction on a fitted detector is thread-safe: many threads may call <see cref="Predict"/> and
/// <see cref="PredictBatch"/> at once. Fitting is not concurrent with anything else on the same instance.</para>
/// <para>Training is CPU-bound and synchronous; it reports progress once per step and checks the cancellation token
/// at least once per step. Saving is real asynchronous I/O.</para>
/// </remarks>
public interface IAnomalyDetector
{
    /// <summary>The detector kind stored in model files, such as "sagan" or "patchgan".</summary>
    string Kind { get; }

    /// <summary>True once <see cref="Fit"/> has completed or a trained model was loaded.</summary>
    bool IsFitted { get; }

    /// <summary>What the last training run did (steps, the step whose weights were kept, losses, time); null before
    /// training, after calibrating imported weights without training, or for a file saved without it.</summary>
    TrainingSummary? LastTraining { get; }

    /// <summary>True when predictions carry a pixel anomaly map.</summary>
    bool ProducesAnomalyMaps { get; }

    /// <summary>The image (and pixel) thresholds and normalisation fitted after training.</summary>
    /// <exception cref="InvalidOperationException">The detector is not fitted.</exception>
    DetectorCalibration Calibration { get; }

    /// <summary>Replaces the calibration, for example with a manual threshold; needs no retraining.</summary>
    /// <param name="calibration">The new calibration.</param>
    /// <exception cref="InvalidOperationException">The detector is not fitted.</exception>
    void Recalibrate(DetectorCalibration calibration);

    /// <summary>Trains the detector, then fits its calibration on validation data.</summary>
    /// <remarks>Every call starts afresh from the networks' initial weights for <see cref="DetectorOptions.Seed"/>, also
    /// on a detector fitted or loaded before: a second <c>Fit</c> gives the same model as a first on a new detector.
    /// To continue an interrupted training, resume from a checkpoint folder (<c>CheckpointDirectory</c> in the
    /// options) instead.</remarks>
    /// <param name="data">Normal training images, an optional unlabeled pool and optional validation data.</param>
    /// <param name="progress">Receives a report after every step.</param>
    /// <param name="cancellationToken">Stops training at the next step with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="InvalidDatasetException">The data is empty or unsuitable for this detector, or an image has NaN
    /// or infinite samples after preprocessing.</exception>
    /// <exception cref="TrainingDivergedException">A loss became NaN or infinite, or the trained model scores validation
    /// images as NaN or infinite; the detector is left unfitted.</exception>
    /// <exception cref="InsufficientMemoryException">Training on the CPU would need more memory than is available
    /// (<see cref="TrainingMemoryEstimate"/>); nothing is trained.</exception>
    /// <exception cref="InvalidCheckpointException">The options name a checkpoint folder whose checkpoint is damaged or
    /// was written by another detector or a run with other settings or data; no step is trained.</exception>
    void Fit(TrainingData data, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Scores and labels one image.</summary>
    /// <param name="image">The image, in any size; it goes through the detector's stored preprocessing.</param>
    /// <exception cref="InvalidOperationException">The detector is not fitted.</exception>
    /// <exception cref="ArgumentException">The image has NaN or infinite samples (before or after preprocessing).</exception>
    AnomalyPrediction Predict(ImageData image);

    /// <summary>Scores and labels images in batches.</summary>
    /// <param name="images">The images.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>One prediction per image, in order.</returns>
    /// <exception cref="InvalidOperationException">The detector is not fitted.</exception>
    /// <exception cref="ArgumentException">An image is null or has NaN or infinite samples; the message gives its index.</exception>
    IReadOnlyList<AnomalyPrediction> PredictBatch(IReadOnlyList<ImageData> images, CancellationToken cancellationToken = default);

    /// <summary>Predicts every image of a labelled set and computes image metrics (and pixel metrics where masks exist).</summary>
    /// <param name="testSet">Images labelled normal or anomalous; masks optional.</param>
    /// <param name="progress">Receives the number of images evaluated so far.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <exception cref="InvalidDatasetException">An image has no normal/anomalous label, or one class is missing.</exception>
    EvaluationReport Evaluate(IImageDataset testSet, IProgress<int>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Writes the trained model (options, preprocessing, calibration, weights) as a model file.</summary>
    /// <param name="destination">The stream to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveAsync(Stream destination, CancellationToken cancellationToken = default);

    /// <summary>Writes the trained model to <paramref name="path"/> atomically: an interrupted save leaves any previous file intact.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveAsync(string path, CancellationToken cancellationToken = default);
}
