using System.Runtime.CompilerServices;
using AnomalyDetection.Imaging;

namespace AnomalyDetection.Detection;

/// <summary>
/// Scores every image of a folder with a fitted detector, streaming: files are listed lazily and read one batch at a
/// time, so memory stays bounded by the batch size however many files the folder holds.
/// </summary>
/// <remarks>
/// <para>The files <see cref="ImageIO.IsImageFile"/> accepts are scored (PNG, PGM, PPM, DICOM and JPEG by extension,
/// case-insensitive, and extensionless DICOM files by their preamble); other files are ignored. Files come in the order
/// the file system lists them.</para>
/// <para>A file that cannot be decoded or read (<see cref="InvalidImageException"/>, <see cref="IOException"/>,
/// <see cref="UnauthorizedAccessException"/>) does not stop the scan: it is returned with
/// <see cref="ScoredFile.Error"/> set and no prediction. Every other failure propagates.</para>
/// </remarks>
/// <example>
/// <code>
/// await foreach (var file in FolderScoring.ScoreFolderAsync(detector, "scans", cancellationToken: token))
/// {
///     Console.WriteLine(file.Succeeded ? $"{file.Path},{file.Prediction!.Score}" : $"{file.Path},skipped: {file.Error}");
/// }
/// </code>
/// </example>
public static class FolderScoring
{
    /// <summary>The file extensions scored: the 2-D formats <see cref="ImageIO"/> decodes (DICOM files without an
    /// extension are scored too).</summary>
    public static IReadOnlyList<string> ImageExtensions => ImageIO.ImageExtensions;

    /// <summary>Scores the images of <paramref name="folder"/> batch by batch.</summary>
    /// <param name="detector">A fitted detector.</param>
    /// <param name="folder">The folder to scan.</param>
    /// <param name="batchSize">Images read and scored together; memory grows with it, not with the folder.</param>
    /// <param name="recursive">Whether to include sub-folders.</param>
    /// <param name="progress">Receives the number of files handled so far (scored or skipped) after every batch.</param>
    /// <param name="cancellationToken">Checked between files; stops the scan with <see cref="OperationCanceledException"/>.</param>
    /// <returns>One result per image file, as each batch completes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not in [1, 4096].</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidOperationException">The detector is not fitted.</exception>
    public static IAsyncEnumerable<ScoredFile> ScoreFolderAsync(IAnomalyDetector detector, string folder, int batchSize = 32, bool recursive = true,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 4096);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' to score does not exist.");
        }

        _ = detector.Calibration;
        return Score(detector, Path.GetFullPath(folder), batchSize, recursive, progress, cancellationToken);
    }

    private static async IAsyncEnumerable<ScoredFile> Score(IAnomalyDetector detector, string folder, int batchSize, bool recursive,
        IProgress<int>? progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(folder, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(ImageIO.IsImageFile);
        var handled = 0;
        foreach (var batch in files.Chunk(batchSize))
        {
            var results = new ScoredFile?[batch.Length];
            var images = new List<ImageData>(batch.Length);
            var positions = new List<int>(batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    images.Add(await ImageIO.LoadAsync(batch[i], cancellationToken).ConfigureAwait(false));
                    positions.Add(i);
                }
                catch (Exception ex) when (ex is InvalidImageException or IOException or UnauthorizedAccessException)
                {
                    results[i] = new ScoredFile(batch[i], null, ex.Message);
                }
            }

            var predictions = images.Count > 0 ? detector.PredictBatch(images, cancellationToken) : [];
            for (var j = 0; j < predictions.Count; j++)
            {
                results[positions[j]] = new ScoredFile(batch[positions[j]], predictions[j], null);
            }

            foreach (var result in results)
            {
                yield return result!;
            }

            handled += batch.Length;
            progress?.Report(handled);
        }
    }
}
